using CityArray.Bench.Shared;
using CityArray.LoadGen.Infrastructure;
using CityArray.LoadGen.Reporting;
using CityArray.LoadGen.Scenarios;

namespace CityArray.LoadGen.Cluster;

/// <summary>
/// Ingest on the cluster: N provisioned signs spread over the gateways heartbeat at an interval (unchanged readings, as
/// in the embedded scenario) while D dashboards watch, one per gateway in turn (signed in as an operator, so a dashboard
/// sees the signs of the other gateway too, through the cluster); heartbeats/s taken in, reach and heartbeat-to-dashboard
/// latency, each dashboard matching a sign's updates to that sign's heartbeats in order. Baseline in the same run: the
/// raw hub process relaying each heartbeat to its dashboard connections, same clients.
/// </summary>
public static class ClusterIngestScenario
{
    public static async Task<ScenarioReport> RunAsync(ClusterTarget cluster, IngestScenario.Options o, Action<string> log)
    {
        var report = new ScenarioReport("ingest");
        foreach (var size in o.Sizes)
        {
            var prefix = $"ingest-{Guid.NewGuid().ToString("N")[..4]}-";
            var secrets = await cluster.ProvisionSignsAsync(prefix, 0, size);
            log($"ingest: {size} signs provisioned (not measured)");
            await using (var hub = ChildProcess.Hub(relayPrefix: "dash"))
            {
                await hub.StartAsync();
                var dashboards = Enumerable.Range(0, o.Dashboards).Select(d => new Uri($"ws://{hub.BaseUri.Authority}/ws/sign/dash{d}")).ToArray();
                report.Add("raw hub", size, await IngestScenario.MeasureAsync("raw hub", prefix, size, o, _ => (hub.BaseUri, null), dashboards, log));
            }
            var cityDashboards = Enumerable.Range(0, o.Dashboards)
                .Select(d => new Uri($"ws://{cluster.Gateways[cluster.GatewayIndexFor(d)].Authority}/ws/dashboard?access_token={Uri.EscapeDataString(cluster.AdminToken)}"))
                .ToArray();
            report.Add("cityarray", size, await IngestScenario.MeasureAsync("cityarray", prefix, size, o,
                id => (cluster.Gateways[cluster.GatewayIndexFor(int.Parse(id[prefix.Length..]))], secrets[id]), cityDashboards, log));
        }

        IngestScenario.Judge(report);
        return report;
    }
}
