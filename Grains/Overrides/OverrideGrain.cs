using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Sms;
using CityArray.Grains.Retention;
using CityArray.Grains.Signs;
using CityArray.Grains.Timers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace CityArray.Grains.Overrides;

/// <summary>
/// One override. It is stored with its target and the signs covered now (one write), put in the fleet registry, and
/// sent once to every gateway (<see cref="IGatewayObserver"/>), which delivers it to the covered signs it holds and to
/// every sign that connects or moves into the target later; no sign grain is called. Gateways report deliveries and
/// acks in batches (a sign covered late joins the tally), each stored before the call returns, so an ack a gateway was
/// told of survives any silo's death. A grain timer ends it at <c>expires_at</c>, a reminder is the
/// durable backstop; ending it (cancel or expiry) is again one registry change and one call per gateway. An ended
/// override is deleted <see cref="RetentionOptions.Overrides"/> after its end (the "retention" reminder).
/// </summary>
public sealed class OverrideGrain(
    [PersistentState("override", StorageNames.Grains)] IPersistentState<OverrideState> state,
    CityArrayClock clock,
    ILogger<OverrideGrain> logger,
    IOptions<RetentionOptions> retention)
    : Grain, IOverrideGrain, IRemindable
{
    private const string ExpiryReminder = "override-expiry";

    /// <summary>The durable retry of the phone alerts: registered before the first attempt, removed once they exist.</summary>
    private const string PhoneReminder = "override-phones";
    private bool _phoneReminderSet;

    /// <summary>The longest a grain timer is armed for; a later expiry re-arms it when it fires.</summary>
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromDays(1);

    /// <summary>How long one gateway may take to accept an override before it is left to catch up from the registry.</summary>
    private static readonly TimeSpan GatewayCallTimeout = TimeSpan.FromSeconds(10);

    private IGrainTimer? _expiryTimer;
    private IGrainTimer? _applyTimer;

    /// <summary>How often a registry entry that could not be made on activation is tried again.</summary>
    private static readonly TimeSpan ApplyRetryInterval = TimeSpan.FromSeconds(2);
    private bool _dirty;

    private OverrideState S => state.State;
    private DateTimeOffset Now => clock.GetUtcNow();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Override is not null && S.Status == OverrideStatus.Active && S.Override.ExpiresAt is not null) ArmExpiryTimer();
        if (S.Override is not null && S.Status == OverrideStatus.Active && !S.Applied) ArmApplyRetry();
        if (S.Override is not null && S.Status == OverrideStatus.Active && !PhonesDone) ArmPhoneRetry(TimeSpan.FromSeconds(1));
        // An override that ended before retention existed (or whose reminder could not be registered) gets it now.
        return ScheduleRetentionAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty) await state.WriteStateAsync(cancellationToken);
    }

    public async Task<OverrideReport> ActivateAsync(SignOverride value, OverrideTarget target, OverridePhones? phones = null)
    {
        if (S.Override is null)
        {
            var covered = await ResolveAsync(target);
            S.Override = value;
            S.Target = target;
            S.Phones = phones is { Channels.Count: > 0 } ? phones : null;
            S.Status = OverrideStatus.Active;
            foreach (var id in covered) S.Acks[id] = null;
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                state.State = new OverrideState();
                throw;
            }
            if (value.ExpiresAt is not null)
            {
                ArmExpiryTimer();
                await RegisterBackstopAsync();
            }
        }
        else if ((S.Applied && PhonesDone) || S.Status != OverrideStatus.Active)
        {
            return await ReportAsync();
        }

        if (!S.Applied) await ApplyToSignsAsync();
        await SendToPhonesAsync();
        return await ReportAsync();
    }

    private async Task ApplyToSignsAsync()
    {
        // In the registry (signs that connect or move later are covered from it) and at every gateway (the signs connected
        // now), in parallel; both are idempotent, so an activation that failed part-way is finished by the next call.
        // The override is durable by now, so a registry that cannot take it yet (reactivating after a collection or a
        // restart, storage busy under load) never fails the request: connected signs get it from the broadcast, and a
        // timer finishes the registry entry (for signs that connect or move later).
        var active = new ActiveOverride(S.Override!, S.Target!);
        var registered = AddToRegistryAsync(active);
        await Task.WhenAll(registered, BroadcastAsync(g => g.OverrideStartedAsync(active)));
        if (await registered)
        {
            S.Applied = true;
            await WriteQuietlyAsync();
        }
        else
        {
            ArmApplyRetry();
        }
        await PublishAsync(DashboardEvent.OverrideActivated);
    }

    /// <summary>Every phone channel asked for has its phone alert (or was found to have nobody to reach).</summary>
    private bool PhonesDone => S.Phones is null || S.Phones.Channels.All(S.PhoneAlerts.ContainsKey);

    /// <summary>The id of the phone alert of one channel: derived from the override, so a retry finds the same alert.</summary>
    private string PhoneAlertId(string channel) => $"alert-{S.Override!.OverrideId}-{channel}";

    /// <summary>
    /// After the signs: one phone alert per phone channel, to the subscribers of the zones the override covers (target
    /// zone: that zone; all: every subscriber; sign ids or area: the zones of the covered signs). The alert id is derived
    /// from the override and <see cref="IPhoneAlertGrain.CreateAsync"/> is idempotent (recipients fixed at its first
    /// write, each recorded before its request), so a repeated activation never texts or calls anyone twice. The intent
    /// (<see cref="OverrideState.Phones"/>) is stored in the override's first write; a reminder registered before the
    /// first attempt re-activates the grain after a restart until every alert exists, and a failure is retried on a
    /// short timer while this activation lives.
    /// </summary>
    private async Task SendToPhonesAsync(bool fromReminder = false)
    {
        if (S.Phones is not { } phones || PhonesDone || S.Status != OverrideStatus.Active)
        {
            if (_phoneReminderSet || fromReminder) await StopPhoneReminderAsync();
            return;
        }
        List<string>? added = null;
        try
        {
            if (!_phoneReminderSet)
            {
                var period = ServiceProvider.GetRequiredService<IOptions<ReminderOptions>>().Value.MinimumReminderPeriod;
                await ReminderBackstop.RegisterAsync(this, PhoneReminder, period, period, period);
                _phoneReminderSet = true;
            }
            var o = S.Override!;
            var (zone, numbers, nobody) = await PhoneRecipientsAsync();
            added = [];
            foreach (var channel in phones.Channels.Where(c => !S.PhoneAlerts.ContainsKey(c)))
            {
                if (nobody)
                {
                    S.PhoneAlerts[channel] = null;
                    added.Add(channel);
                    continue;
                }
                var id = PhoneAlertId(channel);
                var max = channel == AlertChannel.Voice ? 1000 : 1600;
                var message = o.Text.Length > max ? o.Text[..(max - 1)] + "…" : o.Text;
                var view = await GrainFactory.GetGrain<IPhoneAlertGrain>(id)
                    .CreateAsync(new AlertDraft(channel, message, phones.Language, zone, numbers, o.OverrideId));
                if (view.Recipients.Any(r => r.Status == RecipientStatus.Pending)) await GrainFactory.GetGrain<ISmsDispatcherGrain>(0).EnqueueAsync(id);
                S.PhoneAlerts[channel] = id;
                added.Add(channel);
            }
            await state.WriteStateAsync(); // before the reminder goes: a lost write is finished by the next tick
            await StopPhoneReminderAsync();
        }
        catch (Exception e)
        {
            // Not recorded durably: forget them, so the retry creates them again (idempotent) and writes them.
            foreach (var channel in added ?? []) S.PhoneAlerts.Remove(channel);
            logger.LogWarning(e, "Could not create the phone alerts of override {OverrideId}; retrying", this.GetPrimaryKeyString());
            ArmPhoneRetry(TimeSpan.FromSeconds(5));
        }
    }

    private void ArmPhoneRetry(TimeSpan due) => ReminderBackstop.Once(this, due, _ => SendToPhonesAsync(), keepAlive: true);

    private async Task StopPhoneReminderAsync()
    {
        try
        {
            await ReminderBackstop.StopAsync(this, PhoneReminder, timer: null);
            _phoneReminderSet = false;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not remove the phone reminder of override {OverrideId}; its next tick finds nothing to do", this.GetPrimaryKeyString());
        }
    }

    /// <summary>
    /// Who the phone alerts go to: a zone (its subscribers and those of everything), or every subscriber (both null), or
    /// the listed numbers (the subscribers of the covered signs' zones); <c>nobody</c> when those zones have no subscriber
    /// or the covered signs have no zone (an empty list must not fall back to every subscriber).
    /// </summary>
    private async Task<(string? Zone, IReadOnlyList<string>? Numbers, bool Nobody)> PhoneRecipientsAsync()
    {
        var target = S.Target!;
        if (target.All == true) return (null, null, false);
        if (target.Zone is { } zone) return (zone, null, false);
        var fanOut = await SignFanOut.CallAsync(S.Acks.Keys.ToArray(), id => GrainFactory.GetGrain<ISignGrain>(id).GetAsync());
        if (fanOut.Failed.Count > 0)
            logger.LogWarning("Could not read the zones of {Count} covered signs for the phone alerts of {OverrideId} (first: {SignId})",
                fanOut.Failed.Count, this.GetPrimaryKeyString(), fanOut.Failed[0]);
        var zones = fanOut.Results.Select(v => v?.Zone).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var subscribers = GrainFactory.GetGrain<ISmsSubscribersGrain>(0);
        var numbers = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var part in await Task.WhenAll(zones.Select(z => subscribers.ResolveAsync(z)))) numbers.UnionWith(part);
        return numbers.Count == 0 ? (null, null, true) : (null, numbers.ToArray(), false);
    }

    /// <summary>Adds the override to the fleet registry, retrying a few times; false (logged) when it still fails.</summary>
    private async Task<bool> AddToRegistryAsync(ActiveOverride active)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await GrainFactory.GetGrain<IFleetRegistryGrain>(0).AddOverrideAsync(active);
                return true;
            }
            catch (Exception e) when (attempt < SignFanOut.Attempts)
            {
                logger.LogWarning(e, "The fleet registry did not take override {OverrideId} (attempt {Attempt}); retrying", active.Override.OverrideId, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
            catch (Exception e)
            {
                logger.LogError(e, "The fleet registry did not take override {OverrideId}; connected signs have it, the registry entry is retried", active.Override.OverrideId);
                return false;
            }
        }
    }

    /// <summary>Retries the registry entry of an active override until it is in (or the override ended).</summary>
    private void ArmApplyRetry()
    {
        _applyTimer ??= this.RegisterGrainTimer(
            static (grain, _) => grain.FinishApplyAsync(),
            this,
            new GrainTimerCreationOptions { DueTime = ApplyRetryInterval, Period = ApplyRetryInterval, Interleave = false, KeepAlive = true });
    }

    private async Task FinishApplyAsync()
    {
        if (S.Override is null || S.Applied || S.Status != OverrideStatus.Active)
        {
            _applyTimer?.Dispose();
            _applyTimer = null;
            return;
        }
        if (!await AddToRegistryAsync(new ActiveOverride(S.Override, S.Target!))) return;
        S.Applied = true;
        await WriteQuietlyAsync();
        _applyTimer?.Dispose();
        _applyTimer = null;
    }

    public async Task<OverrideReport?> GetAsync() => S.Override is null ? null : await ReportAsync();

    public async Task<string?> CancelAsync()
    {
        if (S.Override is null) return null;
        var before = S.Status;
        if (before == OverrideStatus.Active) await EndAsync(OverrideStatus.Cancelled);
        else if (!S.Removed) await RemoveFromSignsAsync(); // an end that failed part-way is finished now
        if (before != OverrideStatus.Active) await ScheduleRetentionAsync();
        return before;
    }

    public async Task ReportBatchAsync(IReadOnlyList<string> delivered, IReadOnlyList<string> acked, DateTimeOffset at)
    {
        if (S.Override is null) return;
        // What this batch changes, to undo if the write fails (the gateway sends the batch again).
        var undo = new List<(string SignId, bool WasCovered)>();
        var newlyAcked = new List<string>();
        foreach (var id in delivered)
            if (S.Acks.TryAdd(id, null)) undo.Add((id, false));
        foreach (var id in acked)
        {
            if (S.Acks.TryGetValue(id, out var when) && when is not null) continue;
            undo.Add((id, S.Acks.ContainsKey(id)));
            S.Acks[id] = at;
            newlyAcked.Add(id);
        }
        if (undo.Count == 0) return;
        try
        {
            await state.WriteStateAsync();
            _dirty = false;
        }
        catch
        {
            for (var i = undo.Count - 1; i >= 0; i--)
            {
                if (undo[i].WasCovered) S.Acks[undo[i].SignId] = null;
                else S.Acks.Remove(undo[i].SignId);
            }
            throw;
        }
        foreach (var id in newlyAcked)
            await this.PublishAsync(new DashboardEvent(DashboardEvent.MessageAck, Now, null, new MessageNotice(S.Override.OverrideId, null, null, null, id)), logger);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName switch
    {
        ExpiryReminder => ExpireIfDueAsync(),
        PhoneReminder => SendToPhonesAsync(fromReminder: true),
        RetentionReminder.Name => RetireAsync(),
        _ => Task.CompletedTask,
    };

    /// <summary>Registers the retention reminder of an ended override (logged if it fails; a repeated cancel registers it again).</summary>
    private async Task ScheduleRetentionAsync()
    {
        if (S.Override is null || S.Status == OverrideStatus.Active || S.EndedAt is not { } ended) return;
        try
        {
            var reminders = ServiceProvider.GetRequiredService<IOptions<ReminderOptions>>().Value;
            await RetentionReminder.ScheduleAsync(this, ended + retention.Value.Overrides, reminders, clock);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not register the retention reminder of override {OverrideId}", this.GetPrimaryKeyString());
        }
    }

    /// <summary>Retention: an ended override's state is cleared once its period is over (GET answers 404, like an unknown id).</summary>
    private async Task RetireAsync()
    {
        if (S.Override is not null)
        {
            if (S.Status == OverrideStatus.Active || S.EndedAt is not { } ended)
            {
                await RetentionReminder.DoneAsync(this);
                return;
            }
            if (Now < ended + retention.Value.Overrides) return;
            if (!S.Removed) await RemoveFromSignsAsync(); // an end that failed part-way is finished before the record goes
            await state.ClearStateAsync();
            state.State = new OverrideState();
            _dirty = false;
        }
        await RetentionReminder.DoneAsync(this);
        DeactivateOnIdle();
    }

    /// <summary>Writes state after the critical path; a failure is logged (the flag it records is finished by a retry).</summary>
    private async Task WriteQuietlyAsync()
    {
        try
        {
            await state.WriteStateAsync();
            _dirty = false;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not write override {OverrideId}", this.GetPrimaryKeyString());
            _dirty = true;
        }
    }

    private Task<IReadOnlyList<string>> ResolveAsync(OverrideTarget target) =>
        target.Area is { } area ? SignDirectory.GetInAreaAsync(GrainFactory, area) : SignFanOut.ResolveAsync(GrainFactory, target.SignIds, target.Zone, target.All);

    private void ArmExpiryTimer()
    {
        var due = S.Override!.ExpiresAt!.Value - Now;
        if (due > MaxTimerDue) due = MaxTimerDue;
        _expiryTimer?.Dispose();
        _expiryTimer = ReminderBackstop.Once(this, due, _ => ExpireIfDueAsync(), keepAlive: true);
    }

    private async Task ExpireIfDueAsync()
    {
        if (S.Override is null || S.Status != OverrideStatus.Active)
        {
            // An end that failed part-way is finished by the reminder's next tick.
            if (S.Override is not null && !S.Removed) await RemoveFromSignsAsync();
            await UnregisterBackstopAsync();
            return;
        }
        if (!S.Override.IsExpired(Now))
        {
            ArmExpiryTimer();
            return;
        }
        await EndAsync(OverrideStatus.Expired);
    }

    /// <summary>Marks the override ended, takes it out of the registry, tells every gateway and dashboards.</summary>
    private async Task EndAsync(string status)
    {
        var before = (S.Status, S.EndedAt);
        S.Status = status;
        S.EndedAt = Now;
        try
        {
            await state.WriteStateAsync();
            _dirty = false;
        }
        catch
        {
            (S.Status, S.EndedAt) = before;
            throw;
        }
        _expiryTimer?.Dispose();
        _expiryTimer = null;
        await ScheduleRetentionAsync();
        await RemoveFromSignsAsync();
        await PublishAsync(DashboardEvent.OverrideCancelled);
        if (S.Override!.ExpiresAt is not null) await UnregisterBackstopAsync();
    }

    /// <summary>
    /// Ends the override in the registry, then tells every gateway, which sends <c>override_cancelled</c> (and the override
    /// each sign shows next) to the signs that show it. Gateways get it after its start, from this same grain, so a cancel
    /// never overtakes its override.
    /// </summary>
    private async Task RemoveFromSignsAsync()
    {
        var ended = new ActiveOverride(S.Override!, S.Target!, S.EndedAt ?? Now);
        await GrainFactory.GetGrain<IFleetRegistryGrain>(0).EndOverrideAsync(ended.Override.OverrideId, ended.EndedAt!.Value);
        await BroadcastAsync(g => g.OverrideEndedAsync(ended));
        S.Removed = true;
        await WriteQuietlyAsync();
    }

    /// <summary>The backstop ticks at the expiry, then every minute until the end is done; the timer still expires it without one.</summary>
    private Task RegisterBackstopAsync() =>
        ReminderBackstop.RegisterOrLogAsync(this, ExpiryReminder, S.Override!.ExpiresAt!.Value - Now, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), logger);

    private Task UnregisterBackstopAsync() => ReminderBackstop.StopOrLogAsync(this, ExpiryReminder, null, logger);

    /// <summary>
    /// Calls every registered gateway in parallel. A gateway that fails or is slow does not fail the override: it catches
    /// up from the registry when it registers again (at most a few seconds later, or when it regains the cluster).
    /// </summary>
    private async Task BroadcastAsync(Func<IGatewayObserver, Task> call)
    {
        IReadOnlyList<IGatewayObserver> gateways;
        try
        {
            gateways = await GrainFactory.GetGrain<IGatewayDirectoryGrain>(0).GetAllAsync();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not list the gateways for override {OverrideId}; they catch up from the registry", this.GetPrimaryKeyString());
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
                logger.LogWarning(e, "A gateway did not take override {OverrideId}; it catches up from the registry", this.GetPrimaryKeyString());
            }
        }));
    }

    private Task PublishAsync(string type)
    {
        var o = S.Override!;
        var notice = new OverrideNotice(o.OverrideId, S.Status, o.Text, o.Severity, o.Urgency, o.Category, o.Headline, o.Instruction,
            o.ExpiresAt, S.Acks.Count);
        return this.PublishAsync(new DashboardEvent(type, Now, null, Override: notice), logger);
    }

    private async Task<OverrideReport> ReportAsync()
    {
        IReadOnlyList<string> unreachable;
        try
        {
            unreachable = await GrainFactory.GetGrain<IFleetSnapshotGrain>(0).GetUnreachableAsync(S.Acks.Keys.ToArray());
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not read the fleet snapshot for override {OverrideId}", this.GetPrimaryKeyString());
            unreachable = [];
        }
        return Report(unreachable, await PhoneTalliesAsync());
    }

    /// <summary>Each phone channel's tally, read from its phone alert (a channel not created yet counts as nothing sent).</summary>
    private async Task<IReadOnlyList<OverridePhoneTally>?> PhoneTalliesAsync()
    {
        if (S.Phones is not { } phones) return null;
        return await Task.WhenAll(phones.Channels.Select(async channel =>
        {
            var id = S.PhoneAlerts.GetValueOrDefault(channel);
            AlertView? view = null;
            if (id is not null)
            {
                try
                {
                    view = await GrainFactory.GetGrain<IPhoneAlertGrain>(id).GetAsync();
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Could not read phone alert {AlertId} of override {OverrideId}", id, this.GetPrimaryKeyString());
                }
            }
            int Count(params string[] statuses) => view is null ? 0 : statuses.Sum(s => view.Tally.GetValueOrDefault(s));
            var recipients = view?.Recipients.Count ?? 0;
            var delivered = Count(RecipientStatus.Delivered);
            var failed = Count(RecipientStatus.Failed, RecipientStatus.Undelivered);
            var optedOut = Count(RecipientStatus.OptedOut);
            return new OverridePhoneTally(channel, id, recipients, delivered, failed, recipients - delivered - failed - optedOut, optedOut);
        }));
    }

    private OverrideReport Report(IReadOnlyList<string> unreachable, IReadOnlyList<OverridePhoneTally>? phones)
    {
        var o = S.Override!;
        var notAcked = S.Acks.Where(a => a.Value is null).Select(a => a.Key).ToArray();
        IReadOnlyList<string> channels = [OverrideChannels.Signs, .. S.Phones?.Channels ?? []];
        var totals = phones is null ? null : new OverrideTotals(
            S.Acks.Count - notAcked.Length + phones.Sum(p => p.Delivered), phones.Sum(p => p.Failed), notAcked.Length + phones.Sum(p => p.Pending));
        return new OverrideReport(o.OverrideId, S.Status, o.Text, o.TemplateId, o.Severity, o.Urgency, o.Category, o.Headline, o.Instruction,
            o.ExpiresAt, o.CreatedAt, S.EndedAt, S.Target!, S.Acks.Count, S.Acks.Count - notAcked.Length, notAcked, unreachable, o.CapStatus,
            channels, phones, totals);
    }
}
