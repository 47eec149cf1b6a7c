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
/// </summary>
public sealed class SignGrain : Grain, ISignGrain, IRemindable
{
    private const string OfflineReminder = "offline-check";

    private readonly IPersistentState<SignState> _state;
    private readonly IPersistentState<SignMetricsState> _metrics;
    private readonly SignageOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<SignGrain> _logger;
    private IAsyncStream<DashboardEvent> _dashboard = null!;
    private IAsyncStream<SignCommand> _commands = null!;
    private IGrainTimer? _offlineTimer;
    private string? _connectionId;
    private DateTimeOffset _lastWrite;
    private DateTimeOffset _lastMetricsWrite;

    public SignGrain(
        [PersistentState("sign", StorageNames.Grains)] IPersistentState<SignState> state,
        [PersistentState("sign-metrics", StorageNames.Grains)] IPersistentState<SignMetricsState> metrics,
        IOptions<SignageOptions> options,
        TimeProvider clock,
        ILogger<SignGrain> logger)
    {
        _state = state;
        _metrics = metrics;
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
        if (registration.Name is not null) S.Name = registration.Name;
        if (registration.Zone is not null) S.Zone = registration.Zone.Length == 0 ? null : registration.Zone;
        if (registration.Coordinates is not null) S.Coordinates = registration.Coordinates;
        await EnsureRegisteredAndWriteAsync();
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
        return await PublishAsync(DashboardEvent.SignConnected);
    }

    public async Task DisconnectAsync(string connectionId)
    {
        if (_connectionId != connectionId) return;
        _connectionId = null;
        await PublishAsync(DashboardEvent.SignDisconnected);
    }

    public async Task<SignView> HeartbeatAsync(Heartbeat heartbeat)
    {
        if (heartbeat.Battery is { } battery) S.Battery = battery;
        if (heartbeat.SignalStrength is { } signal) S.SignalStrength = signal;
        if (heartbeat.CrowdDensity is { } density) S.CrowdDensity = density;
        if (heartbeat.CrowdCount is { } count) S.CrowdCount = count;
        S.Heartbeats++;
        var cameOnline = MarkSeen();
        if (!S.Registered || cameOnline) await EnsureRegisteredAndWriteAsync();
        else await WriteIfStaleAsync();
        return await PublishAsync(DashboardEvent.SignUpdate);
    }

    public async Task RecordMetricsAsync(MetricsSample sample)
    {
        var samples = _metrics.State.Samples;
        samples.Add(sample);
        if (samples.Count > _options.MetricsSamplesKept) samples.RemoveRange(0, samples.Count - _options.MetricsSamplesKept);
        S.MetricsReports++;
        if (sample.Values.TryGetValue("crowd_count", out var crowd) && crowd is >= 0 and <= int.MaxValue) S.CrowdCount = (int)crowd;
        var cameOnline = MarkSeen();
        if (Now - _lastMetricsWrite >= _options.HeartbeatPersistInterval)
        {
            await _metrics.WriteStateAsync();
            _lastMetricsWrite = Now;
        }
        if (!S.Registered || cameOnline) await EnsureRegisteredAndWriteAsync();
        else await WriteIfStaleAsync();
        await PublishAsync(DashboardEvent.SignUpdate);
    }

    public Task<IReadOnlyList<MetricsSample>> GetMetricsAsync(int limit)
    {
        var samples = _metrics.State.Samples;
        var take = Math.Clamp(limit, 0, samples.Count);
        return Task.FromResult<IReadOnlyList<MetricsSample>>(samples.GetRange(samples.Count - take, take).ToArray());
    }

    // Messages and overrides are not sent to signs yet, so no id is known to this sign.
    public Task<bool> AckAsync(string messageId) => Task.FromResult(false);

    public async Task<bool> RequestStatusAsync()
    {
        if (_connectionId is null) return false;
        await _commands.OnNextAsync(new SignCommand(SignCommand.RequestStatus));
        return true;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == OfflineReminder ? CheckOfflineAsync() : Task.CompletedTask;

    /// <summary>Moves LastSeen to now; true when the sign was offline and is online again.</summary>
    private bool MarkSeen()
    {
        S.LastSeen = Now;
        if (S.Status == SignStatus.Online) return false;
        S.Status = SignStatus.Online;
        ScheduleOfflineCheck();
        _ = RegisterBackstopAsync();
        return true;
    }

    private async Task RegisterBackstopAsync()
    {
        var period = _options.OfflineAfter < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : _options.OfflineAfter;
        try
        {
            await this.RegisterOrUpdateReminder(OfflineReminder, period, period);
        }
        catch (Exception e)
        {
            // The timer still marks the sign offline while this activation lives; the backstop is retried next time it comes online.
            _logger.LogWarning(e, "Could not register the offline reminder of sign {SignId}", SignId);
        }
    }

    /// <summary>Arms a one-shot timer for the moment the sign would go offline; it re-arms itself if heartbeats moved the deadline.</summary>
    private void ScheduleOfflineCheck()
    {
        var due = (S.LastSeen ?? Now) + _options.OfflineAfter - Now;
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        _offlineTimer?.Dispose();
        _offlineTimer = this.RegisterGrainTimer(
            static (grain, _) => grain.CheckOfflineAsync(),
            this,
            new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan, Interleave = false, KeepAlive = true });
    }

    private async Task CheckOfflineAsync()
    {
        if (S.Status != SignStatus.Online)
        {
            await UnregisterBackstopAsync();
            return;
        }
        var deadline = (S.LastSeen ?? DateTimeOffset.MinValue) + _options.OfflineAfter;
        if (Now < deadline)
        {
            ScheduleOfflineCheck();
            return;
        }
        S.Status = SignStatus.Offline;
        S.TimesOffline++;
        _offlineTimer?.Dispose();
        _offlineTimer = null;
        await _state.WriteStateAsync();
        _lastWrite = Now;
        await PublishAsync(DashboardEvent.SignOffline);
        await UnregisterBackstopAsync();
    }

    private async Task UnregisterBackstopAsync()
    {
        try
        {
            var reminder = await this.GetReminder(OfflineReminder);
            if (reminder is not null) await this.UnregisterReminder(reminder);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Could not remove the offline reminder of sign {SignId}", SignId);
        }
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

    private async Task<SignView> PublishAsync(string type)
    {
        var view = View();
        try
        {
            await _dashboard.OnNextAsync(new DashboardEvent(type, Now, view));
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
        CurrentDisplay: new SignDisplay("idle", null, null, null),
        Stats: new SignStats(S.Heartbeats, S.MetricsReports, S.Connections, S.TimesOffline),
        RegisteredAt: S.RegisteredAt);
}
