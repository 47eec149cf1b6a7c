using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Silo.Hosting;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Integrations;

/// <summary>The SMS queue survives a restart; without Twilio's settings its endpoints answer 503 and the rest works.</summary>
public sealed class TwilioRestartAndOffTests
{
    [Fact]
    public async Task A_queued_alert_resumes_after_a_restart_and_no_number_gets_it_twice()
    {
        await using var twilio = await FakeTwilio.StartNewAsync();
        var data = TempDirectory.Create("twilio-restart");
        var port = FreePort.Find();
        var settings = TwilioServerFixture.Settings(twilio, port);
        settings["TWILIO_MESSAGES_PER_SECOND"] = "1";
        var numbers = Enumerable.Range(0, 5).Select(i => "+5730012300" + i.ToString("D2")).ToArray();
        string id;
        await using (var first = await EmbeddedServer.StartAsync(settings, data))
        {
            var response = await first.Http.PostAsJsonAsync("/api/alerts/sms", new { message = "Reinicio", numbers });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            await Eventually.UntilAsync(() => Task.FromResult(twilio.Accepted.Count >= 1));
        }
        var sentBeforeRestart = twilio.Accepted.Count;
        Assert.True(sentBeforeRestart < numbers.Length, "everything went out before the restart; the test proves nothing");

        await using var second = await EmbeddedServer.StartAsync(settings, data);
        await Eventually.UntilAsync(() => Task.FromResult(numbers.All(n => twilio.CountTo(n) >= 1)), () => $"{twilio.Accepted.Count} sent", TimeSpan.FromSeconds(40));
        Assert.All(numbers, n => Assert.Equal(1, twilio.CountTo(n)));
        var alert = await second.Http.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");
        Assert.Equal(numbers.Length, alert.GetProperty("recipients").GetArrayLength());
    }

    [Fact]
    public async Task Without_Twilio_settings_phone_alerts_and_webhooks_answer_503_and_the_rest_works()
    {
        await using var server = await EmbeddedServer.StartAsync();
        foreach (var response in new[]
                 {
                     await server.Http.PostAsJsonAsync("/api/alerts/sms", new { message = "x" }),
                     await server.Http.PostAsJsonAsync("/api/alerts/voice", new { message = "x" }),
                     await server.Http.PostAsync("/api/sms/inbound", new FormUrlEncodedContent(new Dictionary<string, string> { ["Body"] = "hola" })),
                 })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("TWILIO_ACCOUNT_SID", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/api/templates")).StatusCode);

        // An override that asks for a phone channel is refused before anything is raised, naming the channel;
        // the same override on the signs alone goes out.
        var phones = await server.Http.PostAsJsonAsync("/api/overrides", new { text = "Evacuate", all = true, channels = new[] { "signs", "sms" } });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, phones.StatusCode);
        Assert.Contains("'sms'", await phones.Content.ReadAsStringAsync());
        var signs = await server.Http.PostAsJsonAsync("/api/overrides", new { text = "Evacuate", all = true, channels = new[] { "signs" } });
        Assert.Equal(HttpStatusCode.Created, signs.StatusCode);
    }
}
