using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Signs;

/// <summary>
/// Fleet-wide operations against a sign grain that fails (a test filter in the silo makes its calls throw): the others are
/// reached, the failing sign is reported unreachable (overrides) or stays queued and is retried in the background
/// (messages).
/// </summary>
public sealed class FaultIsolationTests : IClassFixture<FaultIsolationTests.Fixture>
{
    private readonly Fixture _fixture;
    private EmbeddedServer Server => _fixture.Server;

    public FaultIsolationTests(Fixture fixture) => _fixture = fixture;

    /// <summary>A server of its own with the fault filter in its silo.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public SignGrainFaults Faults { get; } = new();
        public EmbeddedServer Server { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Server = await EmbeddedServer.StartAsync(new() { ["SIGN_OFFLINE_AFTER_SECONDS"] = "300", ["SIGN_PING_SECONDS"] = "120" },
                configure: Faults.AddTo);

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    [Fact]
    public async Task A_fan_out_with_one_sign_grain_failing_still_reaches_the_others_and_reports_that_sign_unreachable()
    {
        foreach (var id in new[] { "fi-ok-1", "fi-bad", "fi-ok-2" })
            (await Server.PutJsonAsync($"/api/signs/{id}", new { name = id, zone = "fi-zone" })).EnsureSuccessStatusCode();
        await using var ok1 = await Server.ConnectAsync("/ws/sign/fi-ok-1");
        await using var ok2 = await Server.ConnectAsync("/ws/sign/fi-ok-2");
        await Server.WaitConnectedAsync("fi-ok-1", "fi-ok-2");
        _fixture.Faults.Fail("fi-bad");
        try
        {
            // A sign whose grain fails cannot connect: it is told to retry later, never left on a silent socket.
            await using (var bad = await Server.ConnectAsync("/ws/sign/fi-bad"))
            {
                Assert.Equal("server_error", (await bad.ReceiveAsync("error")).GetProperty("code").GetString());
                await bad.WaitClosedAsync();
                Assert.Equal(1013, (int?)bad.CloseStatus);
            }

            // An override to the zone: the others get it, the failing sign is covered and unreachable.
            var created = await Server.Http.PostAsJsonAsync("/api/overrides", new { text = "Shelter in place", zone = "fi-zone" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var overrideId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("override_id").GetString()!;
            try
            {
                await ok1.ReceiveAsync("override", m => m.GetProperty("override_id").GetString() == overrideId);
                await ok2.ReceiveAsync("override", m => m.GetProperty("override_id").GetString() == overrideId);
                var report = await Server.Http.GetFromJsonAsync<JsonElement>($"/api/overrides/{overrideId}");
                Assert.Equal(3, report.GetProperty("covered").GetInt32());
                Assert.Equal(["fi-bad"], report.GetProperty("unreachable").EnumerateArray().Select(e => e.GetString()!).ToArray());
            }
            finally
            {
                await Server.Http.DeleteAsync($"/api/overrides/{overrideId}");
            }

            // A message to listed signs (one sign-grain call each): sent to the others at once, the failing one stays queued.
            var sent = await Server.Http.PostAsJsonAsync("/api/messages", new { text = "Gates open", sign_ids = new[] { "fi-ok-1", "fi-bad", "fi-ok-2" } });
            Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
            var messageReport = await sent.Content.ReadFromJsonAsync<JsonElement>();
            var messageId = messageReport.GetProperty("message_id").GetString()!;
            await ok1.ReceiveAsync("new_message", m => m.GetProperty("message_id").GetString() == messageId);
            await ok2.ReceiveAsync("new_message", m => m.GetProperty("message_id").GetString() == messageId);
            Assert.Equal(new Dictionary<string, string> { ["fi-bad"] = "queued", ["fi-ok-1"] = "sent", ["fi-ok-2"] = "sent" }, States(messageReport));

            // Healed, the background retry queues it; the sign gets it when it connects.
            _fixture.Faults.Heal("fi-bad");
            await using var healed = await Server.ConnectAsync("/ws/sign/fi-bad");
            await healed.ReceiveAsync("new_message", m => m.GetProperty("message_id").GetString() == messageId, TimeSpan.FromSeconds(15));
        }
        finally
        {
            _fixture.Faults.Heal("fi-bad");
        }
    }

    private static Dictionary<string, string> States(JsonElement report) =>
        report.GetProperty("deliveries").EnumerateArray()
            .ToDictionary(d => d.GetProperty("sign_id").GetString()!, d => d.GetProperty("state").GetString()!);
}
