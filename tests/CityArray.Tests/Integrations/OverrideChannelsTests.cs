using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Integrations;

/// <summary>One alert, every channel: an override with <c>channels</c> sms also texts the covered zone's subscribers (Twilio faked on loopback).</summary>
[Collection(TwilioCollection.Name)]
public sealed class OverrideChannelsTests(TwilioServerFixture fixture)
{
    private FakeTwilio Twilio => fixture.Twilio;
    private EmbeddedServer Server => fixture.Server;
    private HttpClient Http => Server.Http;

    private static string NewNumber() => "+57" + Random.Shared.NextInt64(3_000_000_000, 3_999_999_999);

    private async Task TextAsync(string from, string body)
    {
        var response = await FakeTwilio.PostSignedAsync($"http://127.0.0.1:{Server.Port}/api/sms/inbound", new Dictionary<string, string>
        {
            ["MessageSid"] = ("SM" + Guid.NewGuid().ToString("N"))[..34],
            ["AccountSid"] = FakeTwilio.Sid,
            ["From"] = from,
            ["To"] = FakeTwilio.From,
            ["Body"] = body,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_override_with_channel_sms_texts_the_zones_subscribers_but_not_a_STOPped_one_and_its_report_tallies_signs_and_phones()
    {
        var zone = "plaza" + Random.Shared.Next(1_000_000);
        string joined = NewNumber(), stopped = NewNumber(), elsewhere = NewNumber();
        await TextAsync(joined, $"JOIN {zone}");
        await TextAsync(stopped, $"JOIN {zone}");
        await TextAsync(stopped, "STOP");
        await TextAsync(elsewhere, $"JOIN otra{zone}");
        var signId = $"sign-{zone}";
        Assert.True((await Http.PutAsJsonAsync($"/api/signs/{signId}", new { name = "Plaza", zone })).IsSuccessStatusCode);

        var bad = await Http.PostAsJsonAsync("/api/overrides", new { text = "x", zone, channels = new[] { "signs", "fax" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("channels", await bad.Content.ReadAsStringAsync());

        var created = await Http.PostAsJsonAsync("/api/overrides", new { text = "Evacuen la plaza por la salida sur", zone, channels = new[] { "signs", "sms" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("override_id").GetString()!;

        JsonElement report = default;
        await Eventually.UntilAsync(async () =>
        {
            report = await Http.GetFromJsonAsync<JsonElement>($"/api/overrides/{id}");
            return report.TryGetProperty("phones", out var phones) && phones[0].GetProperty("delivered").GetInt32() >= 1 && phones[0].GetProperty("pending").GetInt32() == 0;
        }, () => report.ToString(), TimeSpan.FromSeconds(30));

        Assert.Equal(1, Twilio.CountTo(joined));
        Assert.Contains(Twilio.Accepted, a => a.To == joined && a.Kind != "call" && a.Content.Contains("Evacuen la plaza"));
        Assert.Equal(0, Twilio.CountTo(stopped));
        Assert.Equal(0, Twilio.CountTo(elsewhere));

        // The existing contract is unchanged; channels, phones and totals are added.
        Assert.Equal(1, report.GetProperty("covered").GetInt32());
        Assert.Equal(0, report.GetProperty("acked").GetInt32());
        Assert.Equal(signId, report.GetProperty("not_acked")[0].GetString());
        Assert.Equal(["signs", "sms"], report.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        var sms = report.GetProperty("phones")[0];
        Assert.Equal("sms", sms.GetProperty("channel").GetString());
        // Subscribers of everything (JOIN without a zone, from other tests in this collection) get it too.
        var recipients = sms.GetProperty("recipients").GetInt32();
        Assert.Equal(recipients, sms.GetProperty("delivered").GetInt32());
        Assert.Equal(0, sms.GetProperty("opted_out").GetInt32()); // the STOPped subscriber is not even a recipient
        Assert.Equal(0, sms.GetProperty("failed").GetInt32());
        Assert.Equal(0, sms.GetProperty("pending").GetInt32());
        var totals = report.GetProperty("totals");
        Assert.Equal(recipients, totals.GetProperty("delivered").GetInt32()); // the phones
        Assert.Equal(0, totals.GetProperty("failed").GetInt32());
        Assert.Equal(1, totals.GetProperty("pending").GetInt32()); // the sign, not connected
        var alert = await Http.GetFromJsonAsync<JsonElement>($"/api/alerts/{sms.GetProperty("alert_id").GetString()}");
        Assert.Equal(id, alert.GetProperty("override_id").GetString());
        var to = alert.GetProperty("recipients").EnumerateArray().Select(r => r.GetProperty("to").GetString()).ToArray();
        Assert.Equal(recipients, to.Length);
        Assert.Contains(joined, to);
        Assert.DoesNotContain(stopped, to);
        Assert.DoesNotContain(elsewhere, to);

        // Reading it again (a retry path through the same grain) sends nothing more.
        await Http.GetFromJsonAsync<JsonElement>($"/api/overrides/{id}");
        Assert.Equal(1, Twilio.CountTo(joined));
    }
}
