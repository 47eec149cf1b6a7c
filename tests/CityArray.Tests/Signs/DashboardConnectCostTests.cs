using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CityArray.Tests.Signs;

/// <summary>
/// A dashboard connect (<c>all_signs</c>), <c>get_all_signs</c> and <c>GET /api/signs</c> with thousands of known signs
/// are served from the fleet snapshot: a call filter in the silo counts the calls reaching sign grains, and there are none.
/// Heavy: registering 5,000 signs writes 10,000 rows.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class DashboardConnectCostTests
{
    [Fact]
    public async Task A_dashboard_connect_with_5000_known_signs_makes_no_call_per_sign()
    {
        const int count = 5000;
        var faults = new SignGrainFaults();
        await using var server = await EmbeddedServer.StartAsync(configure: faults.AddTo);
        var grains = server.Services.GetRequiredService<IGrainFactory>();
        var ids = Enumerable.Range(0, count).Select(i => $"dc-{i:D5}").ToArray();
        using (var limit = new SemaphoreSlim(64))
        {
            await Task.WhenAll(ids.Select(async (id, i) =>
            {
                await limit.WaitAsync();
                try
                {
                    await grains.GetGrain<ISignGrain>(id).RegisterAsync(new SignRegistration(id, $"dc-zone-{i % 10}", null));
                }
                finally
                {
                    limit.Release();
                }
            }));
        }
        // The fleet snapshot has every sign (fed one-way by the registrations).
        await Eventually.UntilAsync(async () => (await grains.GetGrain<IFleetSnapshotGrain>(0).GetAllAsync()).Count(v => v.Id.StartsWith("dc-")) == count);

        faults.ResetCount();
        await using var dashboard = await server.ConnectAsync("/ws/dashboard");
        var all = await dashboard.ReceiveAsync("all_signs", timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(count, all.GetProperty("signs").EnumerateArray().Count(s => s.GetProperty("id").GetString()!.StartsWith("dc-")));
        await dashboard.SendJsonAsync(new { type = "get_all_signs" });
        var again = await dashboard.ReceiveAsync("all_signs", timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(count, again.GetProperty("signs").EnumerateArray().Count(s => s.GetProperty("id").GetString()!.StartsWith("dc-")));
        var listed = await server.Http.GetFromJsonAsync<JsonElement>("/api/signs");
        Assert.True(listed.GetArrayLength() >= count);

        Assert.Equal(0, faults.Calls);
    }

}
