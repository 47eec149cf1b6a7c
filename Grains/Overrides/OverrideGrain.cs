using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Streams;
using CityArray.Grains.Signs;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace CityArray.Grains.Overrides;

/// <summary>
/// One override. It is stored (every covered sign not acked) before any sign sees it, then applied on the covered
/// signs in parallel batches; signs report acks back one-way. A grain timer ends it at <c>expires_at</c>, and a
/// reminder is the durable backstop that re-activates the grain after a restart. Ending it (cancel or expiry)
/// removes it from every covered sign, again in parallel batches.
/// </summary>
public sealed class OverrideGrain(
    [PersistentState("override", StorageNames.Grains)] IPersistentState<OverrideState> state,
    TimeProvider clock,
    ILogger<OverrideGrain> logger)
    : Grain, IOverrideGrain, IRemindable
{
    private const string ExpiryReminder = "override-expiry";

    /// <summary>Acks are written in batches at most this often (the tally is served from memory meanwhile).</summary>
    private static readonly TimeSpan AckFlushDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest a grain timer is armed for; a later expiry re-arms it when it fires.</summary>
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromDays(1);

    private IGrainTimer? _expiryTimer;
    private IGrainTimer? _flushTimer;
    private bool _dirty;

    private OverrideState S => state.State;
    private DateTimeOffset Now => clock.GetUtcNow();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Override is not null && S.Status == OverrideStatus.Active && S.Override.ExpiresAt is not null) ArmExpiryTimer();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty) await state.WriteStateAsync(cancellationToken);
    }

    public async Task<OverrideReport> ActivateAsync(SignOverride value, OverrideTarget target)
    {
        if (S.Override is null)
        {
            var covered = await ResolveAsync(target);
            S.Override = value;
            S.Target = target;
            S.Status = OverrideStatus.Active;
            foreach (var id in covered) S.Acks[id] = null;
            await state.WriteStateAsync();
            if (value.ExpiresAt is not null)
            {
                ArmExpiryTimer();
                await RegisterBackstopAsync();
            }
        }
        else if (S.Applied || S.Status != OverrideStatus.Active)
        {
            return Report([]);
        }

        // Record it on every covered sign first (a sign that connects from now on gets it on connect), then send it
        // once to every gateway, which delivers it to the covered signs whose sockets it holds. Every step is
        // idempotent, so an activation that failed part-way is finished by the next call.
        var stored = S.Override;
        var signIds = S.Acks.Keys.ToArray();
        var connected = await SignFanOut.CallAsync(signIds, id => GrainFactory.GetGrain<ISignGrain>(id).ApplyOverrideAsync(stored));
        await BroadcastAsync(SignCommand.OverrideOn, stored, signIds.Where((_, i) => connected[i]).ToArray());
        S.Applied = true;
        await state.WriteStateAsync();
        await PublishAsync(DashboardEvent.OverrideActivated);
        return Report(signIds.Where((_, i) => !connected[i]).ToArray());
    }

    public async Task<OverrideReport?> GetAsync()
    {
        if (S.Override is null) return null;
        var ids = S.Acks.Keys.ToArray();
        var views = await SignFanOut.CallAsync(ids, id => GrainFactory.GetGrain<ISignGrain>(id).GetAsync());
        return Report(ids.Where((_, i) => views[i] is not { Connected: true, Status: SignStatus.Online }).ToArray());
    }

    public async Task<string?> CancelAsync()
    {
        if (S.Override is null) return null;
        var before = S.Status;
        if (before == OverrideStatus.Active) await EndAsync(OverrideStatus.Cancelled);
        else if (!S.Removed) await RemoveFromSignsAsync(); // an end that failed part-way is finished now
        return before;
    }

    public Task ReportAckedAsync(string signId, DateTimeOffset at)
    {
        if (!S.Acks.TryGetValue(signId, out var acked) || acked is not null) return Task.CompletedTask;
        S.Acks[signId] = at;
        _dirty = true;
        _flushTimer ??= this.RegisterGrainTimer(
            static (grain, _) => grain.FlushAsync(),
            this,
            new GrainTimerCreationOptions { DueTime = AckFlushDelay, Period = Timeout.InfiniteTimeSpan, Interleave = false, KeepAlive = true });
        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == ExpiryReminder ? ExpireIfDueAsync() : Task.CompletedTask;

    private async Task FlushAsync()
    {
        _flushTimer?.Dispose();
        _flushTimer = null;
        if (!_dirty) return;
        _dirty = false;
        await state.WriteStateAsync();
    }

    private async Task<IReadOnlyList<string>> ResolveAsync(OverrideTarget target)
    {
        if (target.Area is not { } area) return await SignFanOut.ResolveAsync(GrainFactory, target.SignIds, target.Zone, target.All);
        var all = await GrainFactory.GetGrain<ISignDirectoryGrain>(0).GetAllAsync();
        var views = await SignFanOut.CallAsync(all, id => GrainFactory.GetGrain<ISignGrain>(id).GetAsync());
        return views.Where(v => v is not null && GeoArea.Contains(area, v.Coordinates)).Select(v => v!.Id).ToArray();
    }

    private void ArmExpiryTimer()
    {
        var due = S.Override!.ExpiresAt!.Value - Now;
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        if (due > MaxTimerDue) due = MaxTimerDue;
        _expiryTimer?.Dispose();
        _expiryTimer = this.RegisterGrainTimer(
            static (grain, _) => grain.ExpireIfDueAsync(),
            this,
            new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan, Interleave = false, KeepAlive = true });
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

    /// <summary>Marks the override ended, removes it from every covered sign and tells dashboards.</summary>
    private async Task EndAsync(string status)
    {
        S.Status = status;
        S.EndedAt = Now;
        _dirty = false;
        await state.WriteStateAsync();
        _expiryTimer?.Dispose();
        _expiryTimer = null;
        await RemoveFromSignsAsync();
        await PublishAsync(DashboardEvent.OverrideCancelled);
        if (S.Override!.ExpiresAt is not null) await UnregisterBackstopAsync();
    }

    /// <summary>
    /// Removes the ended override from every covered sign, then tells the connected ones that showed it
    /// (<c>override_cancelled</c>, then the override each shows next) on the same fleet stream that carried it.
    /// </summary>
    private async Task RemoveFromSignsAsync()
    {
        var value = S.Override!;
        var signIds = S.Acks.Keys.ToArray();
        var removals = await SignFanOut.CallAsync(signIds, id => GrainFactory.GetGrain<ISignGrain>(id).RemoveOverrideAsync(value.OverrideId));
        await BroadcastAsync(SignCommand.OverrideCancelled, value, signIds.Where((_, i) => removals[i].TellNow).ToArray());
        var nextByOverride = signIds.Zip(removals).Where(r => r.Second.Next is not null).GroupBy(r => r.Second.Next!.OverrideId);
        foreach (var next in nextByOverride)
            await BroadcastAsync(SignCommand.OverrideOn, next.First().Second.Next!, next.Select(r => r.First).ToArray());
        S.Removed = true;
        await state.WriteStateAsync();
    }

    private async Task RegisterBackstopAsync()
    {
        var due = S.Override!.ExpiresAt!.Value - Now;
        try
        {
            await this.RegisterOrUpdateReminder(ExpiryReminder, due < TimeSpan.Zero ? TimeSpan.Zero : due, TimeSpan.FromMinutes(1));
        }
        catch (Exception e)
        {
            // The timer still expires the override while this activation lives.
            logger.LogWarning(e, "Could not register the expiry reminder of override {OverrideId}", S.Override.OverrideId);
        }
    }

    private async Task UnregisterBackstopAsync()
    {
        try
        {
            if (await this.GetReminder(ExpiryReminder) is { } reminder) await this.UnregisterReminder(reminder);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not remove the expiry reminder of override {OverrideId}", this.GetPrimaryKeyString());
        }
    }

    /// <summary>Sends <c>override</c> or <c>override_cancelled</c> once to every gateway, for the given connected signs.</summary>
    private async Task BroadcastAsync(string type, SignOverride value, IReadOnlyList<string> connectedSignIds)
    {
        if (connectedSignIds.Count == 0) return;
        var stream = this.GetStreamProvider(StreamNames.Provider)
            .GetStream<SignBroadcast>(StreamId.Create(StreamNames.SignBroadcast, StreamNames.FleetKey));
        try
        {
            await stream.OnNextAsync(new SignBroadcast(value, connectedSignIds, type));
        }
        catch (Exception e)
        {
            // The signs hold the state durably and catch up on their next connect; say loudly that "at once" failed.
            logger.LogError(e, "Could not broadcast {Type} {OverrideId} to {Count} connected signs", type, value.OverrideId, connectedSignIds.Count);
        }
    }

    private Task PublishAsync(string type)
    {
        var o = S.Override!;
        var notice = new OverrideNotice(o.OverrideId, S.Status, o.Text, o.Severity, o.Urgency, o.Category, o.Headline, o.Instruction,
            o.ExpiresAt, S.Acks.Count);
        return this.PublishAsync(new DashboardEvent(type, Now, null, Override: notice), logger);
    }

    private OverrideReport Report(IReadOnlyList<string> unreachable)
    {
        var o = S.Override!;
        var notAcked = S.Acks.Where(a => a.Value is null).Select(a => a.Key).ToArray();
        return new OverrideReport(o.OverrideId, S.Status, o.Text, o.TemplateId, o.Severity, o.Urgency, o.Category, o.Headline, o.Instruction,
            o.ExpiresAt, o.CreatedAt, S.EndedAt, S.Target!, S.Acks.Count, S.Acks.Count - notAcked.Length, notAcked, unreachable, o.CapStatus);
    }
}
