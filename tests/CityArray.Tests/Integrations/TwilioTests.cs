using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Silo.Hosting;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Integrations;

/// <summary>The embedded system with Twilio pointed at <see cref="FakeTwilio"/>, and the settings the tests use.</summary>
public sealed class TwilioServerFixture : IAsyncLifetime
{
    public const int MessagesPerSecond = 2;

    public FakeTwilio Twilio { get; private set; } = null!;
    public EmbeddedServer Server { get; private set; } = null!;
    public string DataDirectory { get; } = TempDirectory.Create("twilio");

    public async Task InitializeAsync()
    {
        Twilio = await FakeTwilio.StartNewAsync();
        Server = await StartServerAsync();
    }

    public async Task<EmbeddedServer> StartServerAsync(int? port = null)
    {
        port ??= FreePort.Find();
        return await EmbeddedServer.StartAsync(Settings(Twilio, port.Value), DataDirectory);
    }

    public static Dictionary<string, string?> Settings(FakeTwilio twilio, int port) => new()
    {
        ["PORT"] = port.ToString(),
        ["PUBLIC_BASE_URL"] = $"http://127.0.0.1:{port}",
        ["TWILIO_ACCOUNT_SID"] = FakeTwilio.Sid,
        ["TWILIO_AUTH_TOKEN"] = FakeTwilio.Token,
        ["TWILIO_PHONE_NUMBER"] = FakeTwilio.From,
        ["TWILIO_API_BASE_URL"] = twilio.BaseUrl,
        ["TWILIO_MESSAGES_PER_SECOND"] = MessagesPerSecond.ToString(),
        ["TWILIO_RETRY_SECONDS"] = "1",
        ["INTEGRATION_TIMEOUT_SECONDS"] = "2",
        ["INTEGRATION_TOTAL_TIMEOUT_SECONDS"] = "3",
        ["INTEGRATION_RETRIES"] = "1",
    };

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Twilio.DisposeAsync();
    }
}

/// <summary>Twilio end to end: inbound webhooks, JOIN/STOP, paced alerts, status callbacks, retries.</summary>
[Collection(TwilioCollection.Name)]
public sealed class TwilioTests(TwilioServerFixture fixture)
{
    private FakeTwilio Twilio => fixture.Twilio;
    private EmbeddedServer Server => fixture.Server;
    private HttpClient Http => Server.Http;
    private string Url(string path) => $"http://127.0.0.1:{Server.Port}{path}";

    private static string NewNumber() => "+57" + Random.Shared.NextInt64(3_000_000_000, 3_999_999_999);

    private static int _messageSid;

    private Task<HttpResponseMessage> TextAsync(string from, string body) =>
        FakeTwilio.PostSignedAsync(Url("/api/sms/inbound"), new Dictionary<string, string>
        {
            ["MessageSid"] = $"SM{Interlocked.Increment(ref _messageSid):D8}{Guid.NewGuid():N}"[..34],
            ["AccountSid"] = FakeTwilio.Sid,
            ["From"] = from,
            ["To"] = FakeTwilio.From,
            ["Body"] = body,
            ["NumMedia"] = "0",
        });

    private async Task<string> TextReplyAsync(string from, string body)
    {
        var response = await TextAsync(from, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        var xml = await response.Content.ReadAsStringAsync();
        Assert.Contains("<Response>", xml);
        return xml;
    }

    private async Task<JsonElement> SendAlertAsync(string channel, object body)
    {
        var response = await Http.PostAsJsonAsync($"/api/alerts/{channel}", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> WaitForAlertAsync(string id, Func<JsonElement, bool> condition)
    {
        JsonElement last = default;
        await Eventually.UntilAsync(async () =>
        {
            last = await Http.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");
            return condition(last);
        }, () => last.ToString(), TimeSpan.FromSeconds(30));
        return last;
    }

    private static string[] Recipients(JsonElement alert) =>
        alert.GetProperty("recipients").EnumerateArray().Select(r => r.GetProperty("to").GetString()!).Order().ToArray();

    private static bool All(JsonElement alert, string status) =>
        alert.GetProperty("recipients").EnumerateArray().All(r => r.GetProperty("status").GetString() == status);

    [Fact]
    public async Task A_correctly_signed_SMS_becomes_a_submission_and_a_tampered_or_unsigned_one_gets_403()
    {
        var from = NewNumber();
        var reply = await TextReplyAsync(from, "Se cayó una valla en la entrada norte");
        Assert.Contains("<Message>", reply);
        await Eventually.UntilAsync(async () =>
        {
            var pending = await Http.GetFromJsonAsync<JsonElement>("/api/submissions?status=pending");
            return pending.EnumerateArray().Any(s => s.GetProperty("contact").GetString() == from
                                                     && s.GetProperty("source").GetString() == "sms"
                                                     && s.GetProperty("text").GetString() == "Se cayó una valla en la entrada norte");
        }, () => "the SMS never became a pending submission");

        var fields = new Dictionary<string, string> { ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"), ["From"] = from, ["To"] = FakeTwilio.From, ["Body"] = "hola" };
        var signature = FakeTwilio.Sign(Url("/api/sms/inbound"), fields);
        fields["Body"] = "hola, cambiado";
        var tampered = await FakeTwilio.PostSignedAsync(Url("/api/sms/inbound"), fields, signature);
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        Assert.Equal("application/problem+json", tampered.Content.Headers.ContentType?.MediaType);
        var unsigned = await Http.PostAsync("/api/sms/inbound", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        // Signed for another address (the public URL is what Twilio signs).
        var elsewhere = await FakeTwilio.PostSignedAsync(Url("/api/sms/inbound"), fields, FakeTwilio.Sign("https://evil.example/api/sms/inbound", fields));
        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);
        Assert.Contains("STOP", await TextReplyAsync(from, "HELP"));
    }

    [Fact]
    public async Task JOIN_and_STOP_change_who_gets_the_next_alert_and_STOP_is_honoured_for_named_numbers_too()
    {
        var zone = "norte" + Random.Shared.Next(100_000);
        string a = NewNumber(), b = NewNumber(), everything = NewNumber(), elsewhere = NewNumber();
        Assert.Contains(zone, await TextReplyAsync(a, $"JOIN {zone}"));
        await TextReplyAsync(b, $"join {zone}");
        await TextReplyAsync(everything, "JOIN");
        await TextReplyAsync(elsewhere, "JOIN sur" + zone);

        var first = await SendAlertAsync("sms", new { message = "Tormenta: busque refugio", zone });
        var firstRecipients = Recipients(first);
        Assert.Contains(a, firstRecipients);
        Assert.Contains(b, firstRecipients);
        Assert.Contains(everything, firstRecipients);
        Assert.DoesNotContain(elsewhere, firstRecipients);
        await WaitForAlertAsync(first.GetProperty("id").GetString()!, x => All(x, "delivered"));
        Assert.Equal(1, Twilio.CountTo(a));

        await TextReplyAsync(a, "STOP");
        var second = await SendAlertAsync("sms", new { message = "Sigue la tormenta", zone });
        Assert.DoesNotContain(a, Recipients(second));
        Assert.Contains(b, Recipients(second));

        var named = await SendAlertAsync("sms", new { message = "Aviso directo", numbers = new[] { a, elsewhere } });
        var done = await WaitForAlertAsync(named.GetProperty("id").GetString()!, x =>
            x.GetProperty("recipients").EnumerateArray().All(r => r.GetProperty("status").GetString() is "delivered" or "opted_out"));
        Assert.Equal("opted_out", done.GetProperty("recipients").EnumerateArray().Single(r => r.GetProperty("to").GetString() == a).GetProperty("status").GetString());
        await WaitForAlertAsync(second.GetProperty("id").GetString()!, x => All(x, "delivered"));
        Assert.Equal(1, Twilio.CountTo(a)); // only the first alert, before STOP

        await TextReplyAsync(a, "START");
        var third = await SendAlertAsync("sms", new { message = "Fin de la tormenta", zone });
        Assert.Contains(a, Recipients(third));
    }

    [Fact]
    public async Task Status_callbacks_show_each_recipients_delivery_including_failures_with_their_code()
    {
        string ok = NewNumber(), bad = NewNumber();
        Twilio.Undeliverable.Add(bad);
        var alert = await SendAlertAsync("sms", new { message = "Evacuate the north stage", language = "en", numbers = new[] { ok, bad } });
        var id = alert.GetProperty("id").GetString()!;
        var done = await WaitForAlertAsync(id, x =>
            x.GetProperty("recipients").EnumerateArray().All(r => r.GetProperty("status").GetString() is "delivered" or "failed"));
        var failed = done.GetProperty("recipients").EnumerateArray().Single(r => r.GetProperty("to").GetString() == bad);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("30003", failed.GetProperty("error_code").GetString());
        Assert.Equal(1, done.GetProperty("tally").GetProperty("delivered").GetInt32());
        Assert.Equal(1, done.GetProperty("tally").GetProperty("failed").GetInt32());

        var forged = await FakeTwilio.PostSignedAsync(Url($"/api/sms/status?alert_id={id}&recipient=0"),
            new Dictionary<string, string> { ["MessageStatus"] = "failed", ["MessageSid"] = "SMforged" }, signature: "bm90IGEgc2lnbmF0dXJl");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
    }

    [Fact]
    public async Task Voice_alerts_read_the_message_in_the_chosen_language()
    {
        var number = NewNumber();
        var alert = await SendAlertAsync("voice", new { message = "Lightning nearby, leave the field", language = "en", numbers = new[] { number } });
        Assert.Equal("voice", alert.GetProperty("channel").GetString());
        await WaitForAlertAsync(alert.GetProperty("id").GetString()!, x => All(x, "delivered"));
        var call = Twilio.Accepted.Single(a => a.To == number);
        Assert.Equal("call", call.Kind);
        Assert.Contains("<Say language=\"en-US\">Lightning nearby, leave the field</Say>", call.Content);

        var es = NewNumber();
        await SendAlertAsync("voice", new { message = "Rayos cerca", numbers = new[] { es } });
        await Eventually.UntilAsync(() => Task.FromResult(Twilio.CountTo(es) == 1));
        Assert.Contains("language=\"es-MX\"", Twilio.Accepted.Single(a => a.To == es).Content);
    }

    [Fact]
    public async Task Alerts_are_paced_retried_while_Twilio_fails_and_never_sent_twice_to_a_number()
    {
        var numbers = Enumerable.Range(0, 6).Select(_ => NewNumber()).ToArray();
        Twilio.Mode = FakeMode.Fail;
        var before = Twilio.Requests;
        var alert = await SendAlertAsync("sms", new { message = "Cierre del parque a las 22:00", numbers });
        var id = alert.GetProperty("id").GetString()!;
        await Eventually.UntilAsync(() => Task.FromResult(Twilio.Requests > before), () => "no attempt while Twilio fails");
        var whileDown = await Http.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");
        Assert.DoesNotContain(whileDown.GetProperty("recipients").EnumerateArray(), r => r.GetProperty("status").GetString() == "delivered");
        Twilio.Mode = FakeMode.Normal;
        await WaitForAlertAsync(id, x => All(x, "delivered"));
        Assert.All(numbers, n => Assert.Equal(1, Twilio.CountTo(n)));
        var times = Twilio.Accepted.Where(a => numbers.Contains(a.To)).Select(a => a.At).Order().ToArray();
        // 6 messages at 2 per second take at least two more ticks after the first.
        Assert.True(times[^1] - times[0] >= TimeSpan.FromSeconds(1.5), $"6 messages went out in {(times[^1] - times[0]).TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task Bad_alert_requests_get_a_problem_naming_the_field()
    {
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { message = "" }, "message"),
                     (new { message = "x", language = "fr" }, "language"),
                     (new { message = "x", numbers = new[] { "3001234567" } }, "numbers"),
                     (new { message = "x", zone = "no spaces" }, "zone"),
                 })
        {
            var response = await Http.PostAsJsonAsync("/api/alerts/sms", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(field, await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/alerts/alert-unknown")).StatusCode);
    }
}

/// <summary>The Twilio tests share one server and fake.</summary>
[CollectionDefinition(Name)]
public sealed class TwilioCollection : ICollectionFixture<TwilioServerFixture>
{
    public const string Name = "twilio";
}
