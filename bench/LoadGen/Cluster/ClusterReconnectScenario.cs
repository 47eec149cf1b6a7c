using CityArray.LoadGen.Infrastructure;
using CityArray.LoadGen.Reporting;
using CityArray.LoadGen.Scenarios;

namespace CityArray.LoadGen.Cluster;

/// <summary>
/// The reconnect storm on the cluster: N provisioned signs on the first gateway get a message to all (they do not ack
/// it, so every reconnect replays it); that gateway is SIGKILLed and started again on its port (the silos and the other
/// gateway stay up). Measures the time from the restart until every sign is connected again and has its replay, and
/// the database's work over the storm (<c>pg_stat_database</c> of the cluster's own database, from the kill until the
/// last replay). Baseline in the same run: the raw hub process killed and restarted under the same clients.
/// </summary>
public static class ClusterReconnectScenario
{
    public static async Task<ScenarioReport> RunAsync(ClusterTarget cluster, ReconnectStormScenario.Options o, Action<string> log)
    {
        var report = new ScenarioReport("reconnect");
        var prefix = $"storm-{Guid.NewGuid().ToString("N")[..4]}-";
        var provisioning = System.Diagnostics.Stopwatch.StartNew();
        var secrets = await cluster.ProvisionSignsAsync(prefix, 0, o.Signs);
        log($"reconnect: {secrets.Count} signs provisioned in {provisioning.Elapsed.TotalSeconds:0.0} s (not measured)");

        await using (var hub = ChildProcess.Hub())
        {
            await hub.StartAsync();
            await ReconnectStormScenario.MeasureAsync(report, "raw hub", new ReconnectStormScenario.Target(hub.BaseUri, hub.KillAsync, () => hub.StartAsync()),
                replay: false, o, log);
        }
        var target = new ReconnectStormScenario.Target(cluster.Gateways[0], () => cluster.KillGatewayAsync(0), () => cluster.StartGatewayAsync(0),
            Api: cluster.Admin[0], Configure: c => c with { Token = secrets[c.SignId] }, Prefix: prefix);
        await ReconnectStormScenario.MeasureAsync(report, "cityarray cluster (gateway 1 of 2)", target, replay: true, o, log, cluster.DatabaseUrl);
        return report;
    }
}
