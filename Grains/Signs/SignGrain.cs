using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace CityArray.Grains.Signs;

/// <summary>
/// One sign. Liveness: every heartbeat moves <c>LastSeen</c>; a one-shot grain timer fires when the
/// offline deadline passes (precise to about a second), and a grain reminder is the durable backstop that
/// re-activates the grain after a restart so a sign that went silent meanwhile is still marked offline.
/// Messages: a durable queue of unacked messages (state <c>sign-queue</c>), pushed at once when connected and
/// replayed in order on every connect until acked or expired.
/// Overrides: the active overrides (state <c>sign-overrides</c>); a new one reaches connected signs through the fleet
/// broadcast, the newest is sent first on every connect (before queued messages) and shown as <c>current_display</c>,
/// until cancelled or expired.
/// </summary>
public sealed partial class SignGrain : Grain, ISignGrain, IRemindable
{
    private const string OfflineReminder = "offline-check";
    private const int RecentAcksKept = 100;
    private const int PendingCancelsKept = 50;
    private const int PendingMessagesKept = 500;

    private readonly IPersistentState<SignState> _state;
    private readonly IPersistentState<SignMetricsState> _metrics;
    private readonly IPersistentState<SignQueueState> _queue;
    private readonly IPersistentState<SignOverrideState> _overrides;
    private readonly SignageOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<SignGrain> _logger;
    private IAsyncStream<DashboardEvent> _dashboard = null!;
    private IAsyncStream<SignCommand> _commands = null!;
    private IGrainTimer? _offlineTimer;
    private string? _connectionId;
    private DateTimeOffset _lastWrite;
    private DateTimeOffset _lastMetricsWrite;
    private DateTimeOffset _lastUpdatePublish = DateTimeOffset.MinValue;
    private IGrainTimer? _coalesceTimer;
    private bool _dirty;

    public SignGrain(
        [PersistentState("sign", StorageNames.Grains)] IPersistentState<SignState> state,
        [PersistentState("sign-metrics", StorageNames.Grains)] IPersistentState<SignMetricsState> metrics,
        [PersistentState("sign-queue", StorageNames.Grains)] IPersistentState<SignQueueState> queue,
        [PersistentState("sign-overrides", StorageNames.Grains)] IPersistentState<SignOverrideState> overrides,
        IOptions<SignageOptions> options,
        TimeProvider clock,
        ILogger<SignGrain> logger)
    {
        _state = state;
        _metrics = metrics;
        _queue = queue;
        _overrides = overrides;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
    }

    private string SignId => this.GetPrimaryKeyString();
    private SignState S => _state.State;
    private DateTimeOffset Now => _clock.GetUtcNow();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var streams = this.GetStreamProvider(StreamNames.Provider);
        _dashboard = streams.GetStream<DashboardEvent>(StreamId.Create(StreamNames.Dashboard, StreamNames.FleetKey));
        _commands = streams.GetStream<SignCommand>(StreamId.Create(StreamNames.SignCommands, SignId));
        if (S.Status == SignStatus.Online) ScheduleOfflineCheck();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Heartbeat-only changes are written lazily; do not lose them when the grain goes away cleanly.
        if (S.Registered) await _state.WriteStateAsync(cancellationToken);
        if (_metrics.State.Samples.Count > 0) await _metrics.WriteStateAsync(cancellationToken);
    }

    public Task<SignView?> GetAsync() => Task.FromResult(S.Registered ? View() : null);

    public async Task<SignView> RegisterAsync(SignRegistration registration)
    {
        var oldZone = S.Zone;
        if (registration.Name is not null) S.Name = registration.Name;
        if (registration.Zone is not null) S.Zone = registration.Zone.Length == 0 ? null : registration.Zone;
        if (registration.Coordinates is not null) S.Coordinates = registration.Coordinates;
        await EnsureRegisteredAndWriteAsync();
        if (oldZone != S.Zone) await GrainFactory.GetGrain<ISignDirectoryGrain>(0).SetZoneAsync(SignId, oldZone, S.Zone);
        return await PublishAsync(DashboardEvent.SignUpdate);
    }

    public async Task<SignView> ConnectAsync(string connectionId)
    {
        var previous = _connectionId;
        _connectionId = connectionId;
        S.Connections++;
        if (previous is not null && previous != connectionId)
        {
            await _commands.OnNextAsync(new SignCommand(SignCommand.ConnectionReplaced, previous));
        }
        // A connection is a sign of life: it counts as a heartbeat for liveness.
        MarkSeen();
        await EnsureRegisteredAndWriteAsync();
        var view = await PublishAsync(DashboardEvent.SignConnected);
        await SendOverridesOnConnectAsync();
        await ReplayAsync();
        return view;
    }

    public async Task DisconnectAsync(string connectionId)
    {
        if (_connectionId != connectionId) return;
        _connectionId = null;
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
    }

    public Task<IReadOnlyList<MetricsSample>> GetMetricsAsync(int limit)
    {
        var samples = _metrics.State.Samples;
        var take = Math.Clamp(limit, 0, samples.Count);
        return Task.FromResult<IReadOnlyList<MetricsSample>>(samples.GetRange(samples.Count - take, take).ToArray());
    }

    public async Task<bool> RequestStatusAsync()
    {
        if (_connectionId is null) return false;
        await _commands.OnNextAsync(new SignCommand(SignCommand.RequestStatus));
        return true;
    }

    private async Task EnsureRegisteredAndWriteAsync()
    {
        var isNew = !S.Registered;
        if (isNew)
        {
            S.Registered = true;
            S.RegisteredAt = Now;
            S.Name ??= SignId;
            await GrainFactory.GetGrain<ISignDirectoryGrain>(0).AddAsync(SignId);
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
        try
        {
            await _dashboard.OnNextAsync(new DashboardEvent(type, Now, view, message));
        }
        catch (Exception e)
        {
            // Dashboards are best effort: a failed publish must not fail the sign's own update.
            _logger.LogWarning(e, "Could not publish {Type} for sign {SignId}", type, SignId);
        }
        return view;
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
            : _queue.State.Display ?? new SignDisplay("idle", null, null, null),
        Stats: new SignStats(S.Heartbeats, S.MetricsReports, S.Connections, S.TimesOffline),
        RegisteredAt: S.RegisteredAt);
}
