using CityArray.Grains.ReadModel;
using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Signs;
using Microsoft.Extensions.Logging;
using CityArray.Grains.Interfaces.Streams;
using CityArray.Grains.Interfaces.Timers;
using CityArray.Grains.Timers;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace CityArray.Grains.Signs;

/// <summary>
/// One sign. Its three states (<c>sign</c>, <c>sign-queue</c>, <c>sign-metrics</c>) are read together on activation
/// (<see cref="GrainStates"/>: one query on the embedded store). Liveness: every heartbeat moves <c>LastSeen</c>; the
/// silo's <see cref="GrainDeadlines"/> calls the sign when the offline deadline passes, and the fleet snapshot's sweep is the
/// durable backstop (after a restart it activates every sign shown online, and pokes one whose deadline passed long ago).
/// Messages: a durable queue of unacked messages (state <c>sign-queue</c>), pushed at once when connected and
/// replayed in order on every connect until acked or expired.
/// Overrides are not stored per sign: the fleet registry holds them and the gateway holding the socket decides
/// coverage from the sign's zone and coordinates (see docs/signage.md); the grain shows its override as
/// <c>current_display</c> from the silo's copy of the registry and tells its gateway when its zone or coordinates change.
/// Commands for the sign go to that gateway's observer, given on connect.
/// </summary>
public sealed partial class SignGrain : Grain, ISignGrain, IRemindable, IDeadlineTarget
{
    /// <summary>The per-sign liveness reminder of earlier versions; a stored one is removed on its next tick.</summary>
    private const string OfflineReminder = "offline-check";
    private const int RecentAcksKept = 100;
    private const int PendingMessagesKept = 500;
    private const int AckedBroadcastsKept = 1000;

    /// <summary>
    /// How long a call to the gateway holding the socket may take. A gateway that died without a word keeps its observer
    /// reachable-looking until Orleans drops the client (about a minute) and each call would wait out the 30 s response
    /// timeout, holding this grain (and every message fan-out and reconnect waiting on it); past this the gateway counts
    /// as gone and the sign is caught up when it connects again.
    /// </summary>
    private static readonly TimeSpan GatewayCallTimeout = TimeSpan.FromSeconds(3);

    private readonly IPersistentState<SignState> _state;
    private readonly IPersistentState<SignMetricsState> _metrics;
    private readonly IPersistentState<SignQueueState> _queue;
    private readonly SignageOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<SignGrain> _logger;
    private readonly FleetRegistryCache _registry;
    private readonly GrainDeadlines _deadlines;
    private readonly IReadModel _readModel;
    private IGatewayObserver? _gateway;
    private IAsyncStream<DashboardEvent>? _dashboardStream;
    private string? _connectionId;
    private DateTimeOffset _lastWrite;
    private DateTimeOffset _lastMetricsWrite;
    private DateTimeOffset _lastUpdatePublish = DateTimeOffset.MinValue;
    private IGrainTimer? _coalesceTimer;
    private bool _dirty;

    public SignGrain(
        IGrainContext context,
        FleetRegistryCache registry,
        GrainDeadlines deadlines,
        IReadModel readModel,
        IOptions<SignageOptions> options,
        CityArrayClock clock,
        ILogger<SignGrain> logger)
    {
        // Read together when the grain activates: one query on the embedded store, where a connect storm activates thousands.
        var states = new GrainStates(context, StorageNames.Grains);
        _state = states.Add<SignState>("sign");
        _metrics = states.Add<SignMetricsState>("sign-metrics");
        _queue = states.Add<SignQueueState>("sign-queue");
        _registry = registry;
        _deadlines = deadlines;
        _readModel = readModel;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
    }

    private string SignId => this.GetPrimaryKeyString();
    private SignState S => _state.State;
    private DateTimeOffset Now => _clock.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await _registry.GetAsync(GrainFactory);
        if (S.Status == SignStatus.Online) ScheduleOfflineCheck();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Going away while holding a socket: the gateway connects the sign again, so the next activation (or the surviving
        // duplicate) knows it. Not for idleness: a sign silent that long is offline, and its next word connects it.
        if (_gateway is { } gateway && _connectionId is { } connectionId && reason.ReasonCode != DeactivationReasonCode.ActivationIdle)
        {
            try { _ = gateway.SignUnboundAsync(SignId, connectionId); }
            catch (Exception e) { _logger.LogInformation(e, "Could not tell the gateway of sign {SignId} that its grain is going away", SignId); }
        }
        // Heartbeat-only changes are written lazily; do not lose them when the grain goes away cleanly.
        if (S.Registered) await _state.WriteStateAsync(cancellationToken);
        if (_metrics.State.Samples.Count > 0) await _metrics.WriteStateAsync(cancellationToken);
    }

    public Task<SignView?> GetAsync() => Task.FromResult(S.Registered ? View() : null);

    public async Task<SignView> RegisterAsync(SignRegistration registration)
    {
        var (oldZone, oldCoordinates, wasRegistered) = (S.Zone, S.Coordinates, S.Registered);
        if (registration.Name is not null) S.Name = registration.Name;
        if (registration.Zone is not null) S.Zone = registration.Zone.Length == 0 ? null : registration.Zone;
        if (registration.Coordinates is not null) S.Coordinates = registration.Coordinates;
        var moved = oldZone != S.Zone || oldCoordinates != S.Coordinates;
        await EnsureRegisteredAndWriteAsync();
        if (moved)
        {
            if (wasRegistered) await SignDirectory.UpsertAsync(GrainFactory, SignId, S.Zone, S.Coordinates);
            // The gateway holding the socket evaluates coverage again: a sign moved into an override's zone or area gets it now.
            await TellGatewayAsync(g => g.SignProfileChangedAsync(Profile()));
        }
        return await PublishAsync(DashboardEvent.SignUpdate);
    }

    public async Task<SignConnectResult> ConnectAsync(string connectionId, IGatewayObserver gateway)
    {
        var (previous, previousGateway) = (_connectionId, _gateway);
        var previouslySeen = S.DisconnectedAt ?? S.LastSeen;
        // The same connection told again (its gateway catching up after a silo died) is not a new connection.
        var again = previous == connectionId;
        _connectionId = connectionId;
        _gateway = gateway;
        if (!again) S.Connections++;
        if (previous is not null && previous != connectionId && previousGateway is not null)
        {
            // Not awaited: the older connection's gateway may be dead, and the new connection must not wait for it.
            _ = TellReplacedAsync(previousGateway, previous);
        }
        // A connection is a sign of life: it counts as a heartbeat for liveness.
        var cameOnline = MarkSeen();
        // A new sign, or one coming back online, is written now (record first). A sign reconnecting while still online (a
        // gateway restart, a flaky link) changes only counters and times: written lazily, like a heartbeat's.
        if (!S.Registered || cameOnline) await EnsureRegisteredAndWriteAsync();
        else await WriteIfStaleAsync();
        // Dashboards are news, not the sign's truth: a connect does not wait for its event to be queued (under a connect
        // storm that wait, behind thousands of others, could outlast the gateway's call and make the sign retry).
        var view = again ? View() : PublishInBackground(DashboardEvent.SignConnected);
        return new SignConnectResult(view, previouslySeen, await ReplayAsync(), _queue.State.AckedBroadcasts.ToArray());
    }

    public async Task DisconnectAsync(string connectionId)
    {
        if (_connectionId != connectionId) return;
        _connectionId = null;
        _gateway = null;
        S.DisconnectedAt = Now; // written with the next state write (lazily, or on deactivation)
        await PublishAsync(DashboardEvent.SignDisconnected);
    }

    public async Task<SignView> HeartbeatAsync(Heartbeat heartbeat)
    {
        var changed = (heartbeat.Battery is { } b && b != S.Battery) | (heartbeat.SignalStrength is { } g && g != S.SignalStrength) |
                      (heartbeat.CrowdDensity is { } d && d != S.CrowdDensity) | (heartbeat.CrowdCount is { } c && c != S.CrowdCount);
        S.Battery = heartbeat.Battery ?? S.Battery;
        S.SignalStrength = heartbeat.SignalStrength ?? S.SignalStrength;
        S.CrowdDensity = heartbeat.CrowdDensity ?? S.CrowdDensity;
        S.CrowdCount = heartbeat.CrowdCount ?? S.CrowdCount;
        S.Heartbeats++;
        var cameOnline = MarkSeen();
        // What operators see (battery, crowd, ...) is written soon (coalesced); a heartbeat that only proves liveness lazily.
        return await WriteAndPublishCoalescedAsync(cameOnline, changed);
    }

    public async Task RecordMetricsAsync(MetricsSample sample)
    {
        var samples = _metrics.State.Samples;
        samples.Add(sample);
        if (samples.Count > _options.MetricsSamplesKept) samples.RemoveRange(0, samples.Count - _options.MetricsSamplesKept);
        samples.RemoveAll(s => s.Timestamp < Now - _options.MetricsMaxAge); // retention by age (RETENTION_METRICS_DAYS)
        S.MetricsReports++;
        var changed = false;
        if (sample.Values.TryGetValue("crowd_count", out var crowd) && crowd is >= 0 and <= int.MaxValue && (int)crowd != S.CrowdCount)
        {
            S.CrowdCount = (int)crowd;
            changed = true;
        }
        var cameOnline = MarkSeen();
        if (Now - _lastMetricsWrite >= _options.HeartbeatPersistInterval)
        {
            await _metrics.WriteStateAsync();
            _lastMetricsWrite = Now;
        }
        await WriteAndPublishCoalescedAsync(cameOnline, changed);
        await _readModel.TryProjectAsync(m => m.ProjectSignMetricsAsync(SignId, sample), _logger, "sign metrics");
    }

    public Task<IReadOnlyList<MetricsSample>> GetMetricsAsync(int limit)
    {
        var samples = _metrics.State.Samples;
        var take = Math.Clamp(limit, 0, samples.Count);
        return Task.FromResult<IReadOnlyList<MetricsSample>>(samples.GetRange(samples.Count - take, take).ToArray());
    }

    public Task<bool> RequestStatusAsync() => SendAsync(new SignCommand(SignCommand.RequestStatus));

    /// <summary>Sends a command to the sign through the gateway holding its socket; false when it is not connected (or the gateway is gone).</summary>
    private async Task<bool> SendAsync(SignCommand command)
    {
        if (_gateway is not { } gateway || _connectionId is null) return false;
        try
        {
            if (await gateway.SignCommandAsync(SignId, command).WaitAsync(GatewayCallTimeout)) return true;
        }
        catch (Exception e)
        {
            _logger.LogInformation(e, "The gateway of sign {SignId} did not take a {Type}; the sign catches up on its next connect", SignId, command.Type);
        }
        // The gateway no longer holds the socket: the sign is caught up when it connects again.
        if (_gateway == gateway) (_connectionId, _gateway) = (null, null);
        return false;
    }

    private async Task TellGatewayAsync(Func<IGatewayObserver, Task> call)
    {
        if (_gateway is not { } gateway) return;
        try { await call(gateway).WaitAsync(GatewayCallTimeout); }
        catch (Exception e) { _logger.LogInformation(e, "Could not reach the gateway of sign {SignId}", SignId); }
    }

    private async Task TellReplacedAsync(IGatewayObserver gateway, string connectionId)
    {
        try
        {
            await gateway.SignCommandAsync(SignId, new SignCommand(SignCommand.ConnectionReplaced, connectionId)).WaitAsync(GatewayCallTimeout);
        }
        catch (Exception e)
        {
            _logger.LogInformation(e, "Could not tell the gateway of sign {SignId}'s older connection that it was replaced", SignId);
        }
    }

    private SignProfile Profile() => new(SignId, S.Zone, S.Coordinates);

    private async Task EnsureRegisteredAndWriteAsync()
    {
        var isNew = !S.Registered;
        if (isNew)
        {
            S.Registered = true;
            S.RegisteredAt = Now;
            S.Name ??= SignId;
            try
            {
                await SignDirectory.UpsertAsync(GrainFactory, SignId, S.Zone, S.Coordinates);
            }
            catch
            {
                S.Registered = false;
                throw;
            }
        }
        await _state.WriteStateAsync();
        _lastWrite = Now;
    }

    private async Task WriteIfStaleAsync()
    {
        if (Now - _lastWrite < _options.HeartbeatPersistInterval) return;
        await _state.WriteStateAsync();
        _lastWrite = Now;
    }

    private async Task<SignView> PublishAsync(string type, MessageNotice? message = null)
    {
        var view = View();
        await PushAsync(new DashboardEvent(type, Now, view, message));
        return view;
    }

    /// <summary><see cref="PublishAsync"/> without waiting for the push grain to take the event (still best effort, failures logged).</summary>
    private SignView PublishInBackground(string type)
    {
        var view = View();
        _ = PushAsync(new DashboardEvent(type, Now, view, null));
        return view;
    }

    /// <summary>
    /// Hands the event to the dashboards: to the silo's push grain, which batches it for every gateway's dashboards and the
    /// fleet snapshot (see DashboardPushGrain), or in a cluster to the fleet snapshot and the fleet dashboard stream
    /// (<see cref="SignageOptions.PushGrainForDashboards"/>). Dashboards are best effort: a failed publish must not fail
    /// the sign's own update.
    /// </summary>
    private async Task PushAsync(DashboardEvent e)
    {
        if (!_options.PushGrainForDashboards)
        {
            _ = GrainFactory.GetGrain<IFleetSnapshotGrain>(0).UpdateAsync(e.Sign!);
            _dashboardStream ??= this.GetStreamProvider(StreamNames.Provider)
                .GetStream<DashboardEvent>(StreamId.Create(StreamNames.Dashboard, StreamNames.FleetKey));
            await Streams.BestEffort.PublishAsync(_dashboardStream, e, _logger, e.Type, SignId);
            return;
        }
        try
        {
            await GrainFactory.GetGrain<IDashboardPushGrain>(0).PublishAsync(e);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Could not publish {Type} of sign {SignId} to dashboards", e.Type, SignId);
        }
    }

    private SignView View() => new(
        Id: SignId,
        Name: S.Name ?? SignId,
        Zone: S.Zone,
        Coordinates: S.Coordinates,
        Status: S.Status,
        Connected: _connectionId is not null,
        Battery: S.Battery,
        SignalStrength: S.SignalStrength,
        CrowdDensity: S.CrowdDensity,
        CrowdCount: S.CrowdCount,
        LastSeen: S.LastSeen,
        CurrentDisplay: ShownOverride() is { } shown
            ? new SignDisplay("override", shown.OverrideId, shown.Text, shown.CreatedAt)
            : SignShown.WithBroadcasts(_queue.State.Display, _registry.Current, Profile(), Now,
                b => _connectionId is not null || S.DisconnectedAt > b.CreatedAt) ?? new SignDisplay("idle", null, null, null),
        Stats: new SignStats(S.Heartbeats, S.MetricsReports, S.Connections, S.TimesOffline),
        RegisteredAt: S.RegisteredAt);

    /// <summary>The override the sign shows, from the silo's copy of the fleet registry (refreshed in the background when stale).</summary>
    private SignOverride? ShownOverride()
    {
        _ = _registry.GetAsync(GrainFactory);
        return Overrides.OverrideCoverage.Shown(_registry.Current.Active, Profile(), Now);
    }
}
