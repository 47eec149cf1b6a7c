using System.Text.Json;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CityArray.Tests.Signs;

/// <summary>
/// A dashboard opened on a fleet whose <c>all_signs</c> is larger than a socket's send-queue byte cap gets the snapshot
/// and then live events: the cap is for a slow reader's backlog, not for one large first message (at 10,000 signs with
/// heartbeat values the snapshot passed the default 4 MiB, and every dashboard was disconnected at once, again and again).
/// </summary>
public sealed class LargeSnapshotTests
{
    [Fact]
    public async Task A_snapshot_larger_than_the_send_queue_cap_arrives_and_live_events_follow()
    {
        const int count = 400;
        await using var server = await EmbeddedServer.StartAsync(new Dictionary<string, string?> { ["WS_SEND_QUEUE_BYTES"] = "65536" });
        var grains = server.Services.GetRequiredService<IGrainFactory>();
        var name = new string('n', 90);
        await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            grains.GetGrain<ISignGrain>($"big-{i:D4}").RegisterAsync(new SignRegistration($"{name}-{i}", $"zone-{i % 7}", null))));

        await using var dashboard = await server.ConnectAsync("/ws/dashboard");
        var snapshot = await dashboard.ReceiveAsync("all_signs", m => m.GetProperty("signs").GetArrayLength() >= count, TimeSpan.FromSeconds(20));
        Assert.True(JsonSerializer.SerializeToUtf8Bytes(snapshot).Length > 65536, "the snapshot must exceed the cap for this test to mean anything");

        await using var sign = await server.ConnectAsync("/ws/sign/big-0001");
        await dashboard.ReceiveAsync("sign_connected", m => m.GetProperty("sign").GetProperty("id").GetString() == "big-0001", TimeSpan.FromSeconds(10));
    }
}
