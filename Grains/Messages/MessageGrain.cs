using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Retention;
using CityArray.Grains.Signs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Hosting;

namespace CityArray.Grains.Messages;

/// <summary>
/// One message, stored with every covered sign <c>queued</c> (one write) before any sign sees it.
/// A message to <c>all</c> or a zone is a <b>broadcast</b>: that record is registered in the fleet registry and sent once
/// to every gateway (<see cref="IGatewayObserver.MessageStartedAsync"/>), which pushes it to the covered signs it holds and
/// replays it to every covered sign that connects (or moves into the zone) and has not acked it; no sign grain is called
/// and no per-sign queue is written. Once every covered sign acked it, it leaves the registry; expired ones leave by themselves.
/// A message to listed <c>sign_ids</c> is queued on each sign (its durable queue) in parallel batches; a sign whose grain
/// fails does not fail the send: it stays <c>queued</c> and is retried in the background. Gateways report deliveries
/// and acks in batches, each stored before the call returns (an ack is recorded on the sign first); sign grains report a
/// replay's <c>sent</c> one-way, written at most every 0.5 s. A finished message (expired, or without an expiry once
/// every covered sign acked it) is deleted <see cref="RetentionOptions.Messages"/> later (the "retention" reminder).
/// </summary>
public sealed class MessageGrain(
    [PersistentState("message", StorageNames.Grains)] IPersistentState<MessageState> state,
    CityArrayClock clock,
    ILogger<MessageGrain> logger,
    IOptions<RetentionOptions> retention,
    IOptions<ReminderOptions> reminders)
    : Grain, IMessageGrain, IRemindable
{
    /// <summary>The retention reminder is registered for this finish time (in memory: a reactivation registers it again, idempotently).</summary>
    private DateTimeOffset? _retentionAt;

    /// <summary>
    /// When the message finished: its <c>expires_at</c>; without one, the last ack once every covered sign acked it (a
    /// broadcast also left the registry; one with no covered sign waits for signs that join later). Null: not finished.
    /// </summary>
    private DateTimeOffset? FinishedAt()
    {
        if (S.Message is null) return null;
        if (S.Message.ExpiresAt is { } expires) return expires;
        if (!S.Queued || S.Deliveries.Values.Any(d => d.State != DeliveryState.Acked)) return null;
        if (S.Broadcast && (!S.Ended || S.Deliveries.Count == 0)) return null;
        return S.Deliveries.Values.Select(d => d.AckedAt).OfType<DateTimeOffset>().DefaultIfEmpty(S.Message.CreatedAt).Max();
    }

    /// <summary>Registers the retention reminder once the message is finished (logged, and tried again on the next write, if it fails).</summary>
    private async Task ScheduleRetentionAsync()
    {
        if (FinishedAt() is not { } finished || _retentionAt == finished) return;
        try
        {
            await RetentionReminder.ScheduleAsync(this, finished + retention.Value.Messages, reminders.Value, clock);
            _retentionAt = finished;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not register the retention reminder of message {MessageId}", this.GetPrimaryKeyString());
        }
    }

    /// <summary>Retention: a finished message's state is cleared once its period is over (GET answers 404, like an unknown id).</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != RetentionReminder.Name) return;
        if (S.Message is not null)
        {
            if (FinishedAt() is not { } finished)
            {
                await RetentionReminder.DoneAsync(this); // not finished any more (a sign covered late): registered again when it is
                _retentionAt = null;
                return;
            }
            if (Now < finished + retention.Value.Messages) return;
            await state.ClearStateAsync();
            state.State = new MessageState();
            _dirty = false;
            _flushTimer?.Dispose();
            _flushTimer = null;
            _retryTimer?.Dispose();
            _retryTimer = null;
        }
        await RetentionReminder.DoneAsync(this);
        DeactivateOnIdle();
    }

    /// <summary>Replay reports (<c>sent</c>) are written at most this often (served from memory meanwhile).</summary>
    private static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>How often signs that could not be reached (or a registry that did not take the broadcast) are tried again.</summary>
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);

    /// <summary>How long one gateway may take to accept a broadcast before it is left to catch up from the registry.</summary>
    private static readonly TimeSpan GatewayCallTimeout = TimeSpan.FromSeconds(10);

    private IGrainTimer? _flushTimer;
    private IGrainTimer? _retryTimer;
    private bool _dirty;

    private MessageState S => state.State;
    private DateTimeOffset Now => clock.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A send that stopped part-way (a restart) is finished once the grain is active again.
        if (S.Message is not null && !S.Queued) ArmRetry();
        // A message that finished before retention existed (or whose reminder could not be registered) gets it now.
        await ScheduleRetentionAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty) await state.WriteStateAsync(cancellationToken);
    }

    public async Task<MessageReport> SendAsync(SignMessage message, MessageTarget target, string? language)
    {
        if (S.Message is null)
        {
            var covered = await SignFanOut.ResolveAsync(GrainFactory, target.SignIds, target.Zone, target.All);
            S.Message = message;
            S.Target = target;
            S.Language = language;
            S.Broadcast = ActiveBroadcast.IsBroadcast(target);
            foreach (var id in covered) S.Deliveries[id] = new MessageDelivery(id, DeliveryState.Queued, null, null);
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                state.State = new MessageState();
                throw;
            }
        }
        else if (S.Queued)
        {
            return Report();
        }

        // Registering a broadcast and queuing on a sign are idempotent, so a send that failed part-way is finished by the next call.
        var stored = S.Message;
        if (S.Broadcast) await StartBroadcastAsync();
        else await QueueOnSignsAsync(S.Deliveries.Where(d => d.Value.State == DeliveryState.Queued).Select(d => d.Key).ToArray());
        await WriteQuietlyAsync();
        await PublishSentAsync(stored, S.Deliveries.Count);
        await ScheduleRetentionAsync();
        return Report();
    }

    /// <summary>Registers the broadcast and sends it to every gateway, in parallel; a registry that does not take it yet is retried on a timer.</summary>
    private async Task StartBroadcastAsync()
    {
        var active = new ActiveBroadcast(S.Message!, S.Target!);
        var registered = AddToRegistryAsync(active);
        await Task.WhenAll(registered, BroadcastAsync(g => g.MessageStartedAsync(active)));
        if (await registered) S.Queued = true;
        else ArmRetry();
    }

    /// <summary>Queues the message on the listed signs; those whose grain fails stay <c>queued</c> and are retried in the background.</summary>
    private async Task QueueOnSignsAsync(IReadOnlyList<string> signIds)
    {
        var stored = S.Message!;
        var fanOut = await SignFanOut.CallAsync(signIds, id => GrainFactory.GetGrain<ISignGrain>(id).EnqueueAsync(stored));
        for (var i = 0; i < signIds.Count; i++)
            if (fanOut.Results[i] is { } at) S.Deliveries[signIds[i]] = S.Deliveries[signIds[i]].Sent(at);
        if (fanOut.Failed.Count == 0)
        {
            S.Queued = true;
            return;
        }
        logger.LogWarning("Message {MessageId}: {Count} signs could not be reached (first: {SignId}); retrying in the background",
            stored.MessageId, fanOut.Failed.Count, fanOut.Failed[0]);
        _unreached = fanOut.Failed;
        ArmRetry();
    }

    /// <summary>The listed signs the last fan-out could not reach (null: all of those still <c>queued</c>, after a reactivation).</summary>
    private IReadOnlyList<string>? _unreached;

    private void ArmRetry()
    {
        _retryTimer ??= this.RegisterGrainTimer(
            static (grain, _) => grain.RetryAsync(),
            this,
            new GrainTimerCreationOptions { DueTime = RetryInterval, Period = RetryInterval, Interleave = false, KeepAlive = true });
    }

    private async Task RetryAsync()
    {
        if (S.Message is null || S.Queued || S.Message.IsExpired(Now))
        {
            _retryTimer?.Dispose();
            _retryTimer = null;
            return;
        }
        if (S.Broadcast)
        {
            if (await AddToRegistryAsync(new ActiveBroadcast(S.Message, S.Target!))) S.Queued = true;
        }
        else
        {
            var pending = _unreached ?? S.Deliveries.Where(d => d.Value.State == DeliveryState.Queued).Select(d => d.Key).ToArray();
            _unreached = null;
            await QueueOnSignsAsync(pending);
        }
        if (!S.Queued) return;
        _retryTimer?.Dispose();
        _retryTimer = null;
        await WriteQuietlyAsync();
        await ScheduleRetentionAsync();
    }

    public Task<MessageReport?> GetAsync() => Task.FromResult(S.Message is null ? null : Report());

    public Task ReportSentAsync(string signId, DateTimeOffset at) => UpdateAsync(signId, d => d.Sent(at));

    public async Task ReportBatchAsync(IReadOnlyList<string> delivered, IReadOnlyList<string> acked, DateTimeOffset at)
    {
        if (S.Message is null) return;
        // What this batch changes, to undo if the write fails (the gateway sends the batch again).
        var undo = new Dictionary<string, MessageDelivery?>(StringComparer.Ordinal);
        void Apply(string signId, Func<MessageDelivery, MessageDelivery> change)
        {
            var before = S.Deliveries.GetValueOrDefault(signId);
            if (Change(signId, change)) undo.TryAdd(signId, before);
        }
        foreach (var id in delivered) Apply(id, d => d.Sent(at));
        foreach (var id in acked) Apply(id, d => d.Acked(at));
        if (undo.Count == 0) return;
        try
        {
            await state.WriteStateAsync();
            _dirty = false;
        }
        catch
        {
            foreach (var (id, before) in undo)
            {
                if (before is null) S.Deliveries.Remove(id);
                else S.Deliveries[id] = before;
            }
            throw;
        }
        if (Finished) ScheduleFlush(); // takes the finished broadcast out of the registry, off this call's path
        else await ScheduleRetentionAsync();
    }

    /// <summary>A broadcast every covered sign acked, still in the registry.</summary>
    private bool Finished => S.Broadcast && S.Queued && !S.Ended && S.Deliveries.Count > 0 && S.Deliveries.Values.All(d => d.State == DeliveryState.Acked);

    /// <summary>Applies a forward-only change to one sign's delivery (a sign covered late is added); true if it changed.</summary>
    private bool Change(string signId, Func<MessageDelivery, MessageDelivery> change)
    {
        var delivery = S.Deliveries.GetValueOrDefault(signId) ?? new MessageDelivery(signId, DeliveryState.Queued, null, null);
        var updated = change(delivery);
        if (S.Deliveries.ContainsKey(signId) && updated == delivery) return false;
        S.Deliveries[signId] = updated;
        return true;
    }

    private Task UpdateAsync(string signId, Func<MessageDelivery, MessageDelivery> change)
    {
        if (S.Deliveries.ContainsKey(signId) && Change(signId, change)) ScheduleFlush();
        return Task.CompletedTask;
    }

    private void ScheduleFlush()
    {
        _dirty = true;
        _flushTimer ??= this.RegisterGrainTimer(
            static (grain, _) => grain.FlushAsync(),
            this,
            new GrainTimerCreationOptions { DueTime = FlushDelay, Period = Timeout.InfiniteTimeSpan, Interleave = false, KeepAlive = true });
    }

    /// <summary>Writes the batched report; a finished broadcast (every covered sign acked) leaves the registry.</summary>
    private async Task FlushAsync()
    {
        _flushTimer?.Dispose();
        _flushTimer = null;
        if (Finished) await EndBroadcastAsync();
        if (!_dirty) return;
        try
        {
            await state.WriteStateAsync();
            _dirty = false;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not write the report of message {MessageId}; retrying", this.GetPrimaryKeyString());
            ScheduleFlush();
            return;
        }
        await ScheduleRetentionAsync();
    }

    private async Task EndBroadcastAsync()
    {
        var id = S.Message!.MessageId;
        try
        {
            await GrainFactory.GetGrain<IFleetRegistryGrain>(0).EndBroadcastAsync(id);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not take finished message {MessageId} out of the registry; trying on the next report", id);
            return;
        }
        S.Ended = true;
        _dirty = true;
        await BroadcastAsync(g => g.MessageEndedAsync(id));
    }

    /// <summary>Adds the broadcast to the fleet registry, retrying a few times; false (logged) when it still fails.</summary>
    private async Task<bool> AddToRegistryAsync(ActiveBroadcast active)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var evicted = await GrainFactory.GetGrain<IFleetRegistryGrain>(0).AddBroadcastAsync(active);
                foreach (var old in evicted) await BroadcastAsync(g => g.MessageEndedAsync(old));
                return true;
            }
            catch (Exception e) when (attempt < SignFanOut.Attempts)
            {
                logger.LogWarning(e, "The fleet registry did not take message {MessageId} (attempt {Attempt}); retrying", active.Message.MessageId, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
            catch (Exception e)
            {
                logger.LogError(e, "The fleet registry did not take message {MessageId}; connected signs have it, the entry is retried", active.Message.MessageId);
                return false;
            }
        }
    }

    /// <summary>Calls every registered gateway in parallel; one that fails or is slow catches up from the registry when it registers again.</summary>
    private async Task BroadcastAsync(Func<IGatewayObserver, Task> call)
    {
        IReadOnlyList<IGatewayObserver> gateways;
        try
        {
            gateways = await GrainFactory.GetGrain<IGatewayDirectoryGrain>(0).GetAllAsync();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not list the gateways for message {MessageId}; they catch up from the registry", this.GetPrimaryKeyString());
            return;
        }
        await Task.WhenAll(gateways.Select(async gateway =>
        {
            try
            {
                await call(gateway).WaitAsync(GatewayCallTimeout);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "A gateway did not take message {MessageId}; it catches up from the registry", this.GetPrimaryKeyString());
            }
        }));
    }

    /// <summary>Writes state after the critical path; a failure keeps it dirty for the next flush or deactivation.</summary>
    private async Task WriteQuietlyAsync()
    {
        try
        {
            await state.WriteStateAsync();
            _dirty = false;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not write message {MessageId}", this.GetPrimaryKeyString());
            ScheduleFlush();
        }
    }

    private Task PublishSentAsync(SignMessage message, int recipients) =>
        this.PublishAsync(new DashboardEvent(DashboardEvent.MessageSent, clock.GetUtcNow(), null,
            new MessageNotice(message.MessageId, message.Text, message.Priority, recipients, null)), logger);

    private MessageReport Report()
    {
        var m = S.Message!;
        return new MessageReport(m.MessageId, m.Text, m.TemplateId, S.Language, m.Priority, m.DisplaySeconds, m.ExpiresAt,
            m.CreatedAt, S.Target!, S.Deliveries.Values.ToArray());
    }
}
