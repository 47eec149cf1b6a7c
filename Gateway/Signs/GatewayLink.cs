using System.Collections.Concurrent;
using CityArray.Gateway.Infrastructure;
using CityArray.Gateway.Infrastructure.WebSockets;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Gateway.Signs;

/// <summary>
/// Keeps this gateway's channel from the cluster alive (recovery by design): registers the <see cref="SignHub"/> observer
/// with <see cref="IGatewayDirectoryGrain"/> at start, every <see cref="RefreshInterval"/>, and at once when the cluster
/// connection comes back (<see cref="ClusterRecovery"/>). When the directory did not know this gateway (the cluster
/// restarted, or the entry expired during a silent loss), or tells it that a silo died since its last registration, it
/// catches up from durable state: the active and ended overrides from the fleet registry, and every sign it holds is
/// connected to its grain again (which replays unacked messages; a grain re-activated elsewhere learns its socket), and
/// a sign whose call failed is tried again at each registration after that. A sign whose grain activation went away
/// while holding its socket (a duplicate resolved after a silo died, a silo shutting down) is connected again at once.
/// It also flushes the batched delivery reports (<see cref="TallyReports"/>), and sends what is left when it stops.
/// </summary>
public sealed class GatewayLink : BackgroundService
{
    private readonly IClusterClient cluster;
    private readonly SignHub hub;
    private readonly TallyReports tallies;
    private readonly ILogger<GatewayLink> logger;
    private readonly ClusterRecovery recovery;

    public GatewayLink(IClusterClient cluster, SignHub hub, TallyReports tallies, ClusterRecovery recovery, ILogger<GatewayLink> logger)
    {
        this.cluster = cluster;
        this.hub = hub;
        this.tallies = tallies;
        this.logger = logger;
        this.recovery = recovery;
        recovery.Recovered += Wake;
        hub.Unbound += signId =>
        {
            _toReconnect[signId] = true;
            Wake();
        };
    }

    /// <summary>How often the registration is refreshed (and a silent loss detected).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    /// <summary>How often batched deliveries and acks are reported.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(250);

    private readonly string _gatewayId = $"gw-{Environment.ProcessId}-{Guid.NewGuid():N}";
    private readonly SemaphoreSlim _wake = new(0);
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IGatewayObserver? _observer;
    /// <summary>Signs to connect to their grains again at the next registration: their call failed, or their grain went away.</summary>
    private readonly ConcurrentDictionary<string, bool> _toReconnect = new();

    /// <summary>The reference sign grains use to reach this gateway.</summary>
    public IGatewayObserver Observer => _observer ??= cluster.CreateObjectReference<IGatewayObserver>(hub);

    /// <summary>Completes once the gateway is registered with the cluster.</summary>
    public Task Registered => _registered.Task;

    /// <summary>How many times this gateway caught up after the cluster forgot it (for tests and logs).</summary>
    public int CatchUps { get; private set; }

    /// <summary>Asks for a registration now (the cluster connection came back).</summary>
    public void Wake() => _wake.Release();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var reports = new Timer(_ => tallies.Flush(), null, ReportInterval, ReportInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var registration = await cluster.GetGrain<IGatewayDirectoryGrain>(0).RegisterAsync(_gatewayId, Observer);
                if (registration.CatchUp) await CatchUpAsync(registration, stoppingToken);
                else if (!_toReconnect.IsEmpty)
                {
                    var due = _toReconnect.Keys.Where(id => _toReconnect.TryRemove(id, out _)).ToHashSet();
                    await ReconnectAsync(hub.Held().Where(h => due.Contains(h.SignId)).ToArray(), stoppingToken);
                }
                _registered.TrySetResult();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not register gateway {GatewayId} with the cluster; retrying", _gatewayId);
            }
            try
            {
                await _wake.WaitAsync(RefreshInterval, stoppingToken);
            }
            catch (OperationCanceledException) { break; }
        }
        await tallies.DrainAsync(TimeSpan.FromSeconds(2));
        try
        {
            await cluster.GetGrain<IGatewayDirectoryGrain>(0).UnregisterAsync(_gatewayId).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Could not unregister gateway {GatewayId}", _gatewayId);
        }
    }

    private async Task CatchUpAsync(GatewayRegistration registration, CancellationToken stoppingToken)
    {
        hub.Sync(await cluster.GetGrain<IFleetRegistryGrain>(0).GetAsync());
        var held = hub.Held();
        // Forgotten: the cluster restarted (or lost this gateway for a while), whether or not the connection observer
        // noticed; stream subscriptions are taken again now rather than at the next probe. Known: a silo died, and its
        // sign grains were re-activated elsewhere without knowing their sockets.
        var forgotten = !registration.WasKnown && CatchUps++ > 0;
        if (forgotten) recovery.RaiseForgotten();
        else if (registration.SiloLost) recovery.RaiseSiloLost();
        if (!forgotten && held.Count == 0) return;
        // The first registration is routine; being forgotten by the cluster or losing a silo is worth a warning.
        logger.Log(registration.WasKnown || forgotten ? LogLevel.Warning : LogLevel.Information,
            "Gateway {GatewayId} {Why}: caught up with the registry, reconnecting {Count} signs", _gatewayId,
            registration.WasKnown ? "heard that a silo died" : "registered anew", held.Count);
        await ReconnectAsync(held, stoppingToken);
    }

    /// <summary>
    /// Connects each held sign to its grain again, 64 at a time. A sign whose call failed (right after a silo died, a call
    /// can still be routed to it) is tried again at each following registration until it succeeds or the sign leaves:
    /// a silent sign sends no heartbeat that would do it. Signs whose grain went away (<see cref="SignHub.Unbound"/>) are
    /// connected the same way, at once.
    /// </summary>
    private async Task ReconnectAsync(IReadOnlyList<(string SignId, SocketConnection Connection)> signs, CancellationToken stoppingToken)
    {
        var failed = 0;
        using var limit = new SemaphoreSlim(64);
        await Task.WhenAll(signs.Select(async h =>
        {
            await limit.WaitAsync(stoppingToken);
            try
            {
                var result = await cluster.GetGrain<ISignGrain>(h.SignId).ConnectAsync(h.Connection.Id, Observer);
                hub.Connected(h.SignId, h.Connection, result);
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref failed);
                _toReconnect[h.SignId] = true;
                logger.LogDebug(e, "Could not reconnect sign {SignId} to its grain; retrying", h.SignId);
            }
            finally
            {
                limit.Release();
            }
        }));
        if (failed > 0) logger.LogWarning("Could not reconnect {Count} signs to their grains; retrying in {Delay}", failed, RefreshInterval);
    }
}
