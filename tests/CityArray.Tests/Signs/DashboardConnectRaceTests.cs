using System.Text.Json;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CityArray.Tests.Signs;

/// <summary>
/// A dashboard that connects just after a sign reported shows that report, even when the fleet snapshot it reads is
/// slow to take it: a gateway only gets a sign event once the snapshot has it, and events that reach the gateway while
/// the dashboard is reading the snapshot follow it. Here the snapshot's updates are held back 300 ms on their way.
/// </summary>
public sealed class DashboardConnectRaceTests
{
    [Fact]
    public async Task A_dashboard_that_connects_right_after_a_sign_report_shows_it_although_the_snapshot_is_slow()
    {
        await using var server = await EmbeddedServer.StartAsync(
            // Every heartbeat is published at once, and no later event (the sign going offline) repeats it.
            new() { ["SIGN_UPDATE_INTERVAL_MS"] = "0", ["SIGN_OFFLINE_AFTER_SECONDS"] = "300" },
            configure: b => b.Services.AddSingleton<IOutgoingGrainCallFilter, SlowSnapshotUpdates>());
        await using var sign = await server.ConnectAsync("/ws/sign/race-1");
        await using var watcher = await server.ConnectAsync("/ws/dashboard");
        await watcher.ReceiveAsync("all_signs");

        for (var battery = 10; battery <= 12; battery++)
        {
            await sign.SendJsonAsync(Heartbeat(battery));
            // The moment a gateway has the event (one dashboard shows it), another dashboard connects.
            var expected = battery;
            await Eventually.UntilAsync(() => Task.FromResult(Shown(watcher.History) == expected), timeout: TimeSpan.FromSeconds(10));
            await using var dashboard = await server.ConnectAsync("/ws/dashboard");
            await dashboard.ReceiveAsync("all_signs");
            await Eventually.UntilAsync(() => Task.FromResult(Shown(dashboard.History) == expected),
                () => $"the new dashboard shows battery {Shown(dashboard.History)}; the sign reported {expected} before it connected",
                TimeSpan.FromSeconds(3));
        }
    }

    /// <summary>The battery a page shows for race-1: its <c>all_signs</c> row, then each sign event applied in order.</summary>
    private static int? Shown(IReadOnlyList<JsonElement> messages)
    {
        int? battery = null;
        foreach (var m in messages)
        {
            var sign = m.GetProperty("type").GetString() == "all_signs"
                ? m.GetProperty("signs").EnumerateArray().Where(s => s.GetProperty("id").GetString() == "race-1").Cast<JsonElement?>().FirstOrDefault()
                : m.TryGetProperty("sign", out var s) && s.ValueKind == JsonValueKind.Object && s.GetProperty("id").GetString() == "race-1" ? s : null;
            if (sign is { } view && view.TryGetProperty("battery", out var b) && b.ValueKind == JsonValueKind.Number) battery = b.GetInt32();
        }
        return battery;
    }

    private static object Heartbeat(int battery) =>
        new { type = "heartbeat", data = new { battery, signal_strength = -60, crowd_density = "low", crowd_count = 1 } };

    /// <summary>Holds each batch of sign views on its way to the fleet snapshot for 300 ms (the snapshot itself stays free).</summary>
    private sealed class SlowSnapshotUpdates : IOutgoingGrainCallFilter
    {
        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            if (context.Grain is IFleetSnapshotGrain && context.InterfaceMethod?.Name == nameof(IFleetSnapshotGrain.UpdateManyAsync))
                await Task.Delay(TimeSpan.FromMilliseconds(300));
            await context.Invoke();
        }
    }
}
