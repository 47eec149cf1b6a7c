using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Templates;

/// <summary>Templates over REST on the embedded system: defaults seeded once, CRUD, rendering.</summary>
public sealed class TemplateTests(EmbeddedServerFixture fixture) : IClassFixture<EmbeddedServerFixture>
{
    private readonly EmbeddedServer _server = fixture.Server;

    [Fact]
    public async Task Create_read_update_delete()
    {
        var created = await _server.Http.PostAsJsonAsync("/api/templates",
            new { id = "crud-1", name = "Gate", category = "schedule", text = "Gate {gate} opens at {time}", text_es = "La puerta {gate} abre a las {time}" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["gate", "time"], body.GetProperty("placeholders").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await _server.Http.PostAsJsonAsync("/api/templates", new { id = "crud-1", name = "x", category = "x", text = "x" })).StatusCode);

        var updated = await _server.Http.PutAsJsonAsync("/api/templates/crud-1", new { text = "Gate {gate} is open" });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var read = await _server.Http.GetFromJsonAsync<JsonElement>("/api/templates/crud-1");
        Assert.Equal("Gate {gate} is open", read.GetProperty("text").GetString());
        Assert.Equal("Gate", read.GetProperty("name").GetString());
        Assert.Equal("La puerta {gate} abre a las {time}", read.GetProperty("text_es").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await _server.Http.DeleteAsync("/api/templates/crud-1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync("/api/templates/crud-1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.DeleteAsync("/api/templates/crud-1")).StatusCode);
    }

    [Fact]
    public async Task Renders_in_english_and_spanish_and_names_a_missing_variable()
    {
        var en = await _server.Http.PostAsJsonAsync("/api/templates/schedule-starting-soon/render",
            new { variables = new Dictionary<string, object> { ["artist"] = "Los Rayos", ["minutes"] = 10, ["stage"] = "Main" } });
        Assert.Equal("Los Rayos starts in 10 minutes on Main", (await en.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("text").GetString());
        var es = await _server.Http.PostAsJsonAsync("/api/templates/schedule-starting-soon/render",
            new { language = "es", variables = new Dictionary<string, object> { ["artist"] = "Los Rayos", ["minutes"] = 10, ["stage"] = "Main" } });
        Assert.Equal("Los Rayos comienza en 10 minutos en Main", (await es.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("text").GetString());

        var missing = await _server.Http.PostAsJsonAsync("/api/templates/schedule-starting-soon/render", new { variables = new { artist = "X" } });
        await AssertBadRequestAsync(missing, "variables.minutes");
    }

    [Theory]
    [InlineData("""{"name":"n","category":"c"}""", "text")]
    [InlineData("""{"category":"c","text":"t"}""", "name")]
    [InlineData("""{"name":"n","text":"t"}""", "category")]
    [InlineData("""{"id":"bad id!","name":"n","category":"c","text":"t"}""", "id")]
    [InlineData("""{"name":"n","category":"c","text":"t","text_es":""}""", "text_es")]
    public async Task Invalid_templates_are_400_naming_the_field(string json, string field)
    {
        var response = await _server.Http.PostAsync("/api/templates", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        await AssertBadRequestAsync(response, field);
    }

    [Fact]
    public async Task Defaults_are_created_once_and_edits_survive_restarts()
    {
        var data = TempDirectory.Create("templates");
        await using (var first = await EmbeddedServer.StartAsync(dataDirectory: data))
        {
            var all = await first.Http.GetFromJsonAsync<JsonElement>("/api/templates");
            Assert.Equal(17, all.GetArrayLength());
            Assert.Contains(all.EnumerateArray(), t => t.GetProperty("id").GetString() == "emergency-evacuation");
            (await first.Http.PutAsJsonAsync("/api/templates/sponsor-message", new { text = "Brought to you by {sponsor}" })).EnsureSuccessStatusCode();
            (await first.Http.DeleteAsync("/api/templates/crowd-alert")).EnsureSuccessStatusCode();
        }
        for (var i = 0; i < 2; i++)
        {
            await using var next = await EmbeddedServer.StartAsync(dataDirectory: data);
            var all = await next.Http.GetFromJsonAsync<JsonElement>("/api/templates");
            Assert.Equal(16, all.GetArrayLength());
            Assert.DoesNotContain(all.EnumerateArray(), t => t.GetProperty("id").GetString() == "crowd-alert");
            var sponsor = await next.Http.GetFromJsonAsync<JsonElement>("/api/templates/sponsor-message");
            Assert.Equal("Brought to you by {sponsor}", sponsor.GetProperty("text").GetString());
        }
    }

    private static async Task AssertBadRequestAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith($"{field}:", problem.GetProperty("detail").GetString());
    }
}
