using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Signs;
using CityArray.Grains.Timers;
using Microsoft.Extensions.Logging;
using CityArray.Grains.Collectibles;
using CityArray.Grains.Interfaces.Collectibles;
using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Grains.Events;

/// <summary>Collectibles: manual drops and the timer (with its reminder backstop) that drops them while the event is live.</summary>
public sealed partial class EventGrain
{
    public async Task<CollectibleView> DropCollectibleAsync(string userId, CollectibleDrop drop)
    {
        await ExpireIfDueAsync();
        var ev = EnsureExists();
        if (userId != ev.CreatorId) throw new CivicException(CivicErrors.Forbidden, "only the event's creator can drop collectibles", "creator_id");
        if (!IsActive) throw new CivicException(CivicErrors.Conflict, "event has ended");
        drop.Validate();
        var now = clock.GetUtcNow();
        if (_lastManualDrop is { } last && now - last < Options.ManualDropInterval)
            throw new CivicException(CivicErrors.RateLimited,
                $"too many drops: at most one manual drop every {Options.ManualDropInterval.TotalSeconds:0.#} s per event")
            { RetryAfter = last + Options.ManualDropInterval - now };
        var live = S.Collectibles.Where(c => c.ExpiresAt > now).ToList();
        if (live.Count >= Options.MaxLiveCollectibles)
            throw new CivicException(CivicErrors.RateLimited,
                $"too many collectibles: at most {Options.MaxLiveCollectibles} unexpired drops per event")
            { RetryAfter = live.Min(c => c.ExpiresAt) - now };
        _lastManualDrop = now;
        return await DropAsync(drop.Name?.Trim(), drop.Rarity, drop.TtlSeconds is { } ttl ? TimeSpan.FromSeconds(ttl) : null);
    }

    public async Task<IReadOnlyList<CollectibleView>> GetActiveCollectiblesAsync()
    {
        await ExpireIfDueAsync();
        EnsureExists();
        var now = clock.GetUtcNow();
        var live = S.Collectibles.Where(c => c.ExpiresAt > now).ToList();
        if (live.Count != S.Collectibles.Count)
        {
            S.Collectibles = live;
            await state.WriteStateAsync();
        }
        var current = await Task.WhenAll(live.Select(c => GrainFactory.GetGrain<ICollectibleGrain>(c.Id).GetAsync()));
        return current.Where(c => c is { Status: CollectibleStatus.Active }).Select(c => c!).ToArray();
    }

    private async Task<CollectibleView> DropAsync(string? name, string? rarity, TimeSpan? ttl)
    {
        var now = clock.GetUtcNow();
        rarity ??= CollectibleNames.RandomRarity();
        var lifetime = ttl ?? Options.CollectibleTtl;
        var collectible = new CollectibleView(
            CivicIds.New(), EventId, name ?? CollectibleNames.RandomName(rarity), rarity,
            now, now + lifetime, null, null, CollectibleStatus.Active);
        collectible = await GrainFactory.GetGrain<ICollectibleGrain>(collectible.Id).CreateAsync(collectible);

        S.Collectibles.RemoveAll(c => c.ExpiresAt <= now);
        S.Collectibles.Add(collectible);
        S.LastDropAt = now;
        await state.WriteStateAsync();
        await PublishAsync(new EventNotification(EventNotification.CollectibleDrop, EventId, now,
            Collectible: collectible, ExpiresIn: (int)Math.Ceiling(lifetime.TotalSeconds)));
        await this.PublishAsync(new DashboardEvent(DashboardEvent.CollectibleDropped, now, null, Collectible: collectible), logger);
        return collectible;
    }

    private async Task OnDropTimerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ExpireIfDueAsync();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not end expired event {EventId}", EventId);
            return;
        }
        if (!IsActive || S.Participants.Count == 0)
        {
            await StopDropsAsync();
            return;
        }
        try
        {
            await DropAsync(null, null, null);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Collectible drop failed for event {EventId}", EventId);
        }
    }

    /// <summary>Reminder first, then the timer: a running timer implies the reminder is registered.</summary>
    private async Task StartDropsAsync()
    {
        var period = Options.DropInterval < reminderOptions.Value.MinimumReminderPeriod
            ? reminderOptions.Value.MinimumReminderPeriod
            : Options.DropInterval;
        await ReminderBackstop.RegisterAsync(this, DropReminder, period, period, reminderOptions.Value.MinimumReminderPeriod);
        StartDropTimer();
    }

    private void StartDropTimer()
    {
        if (_dropTimer is not null) return;
        var interval = Options.DropInterval;
        var due = S.LastDropAt is { } last ? last + interval - clock.GetUtcNow() : interval;
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        _dropTimer = this.RegisterGrainTimer(OnDropTimerAsync, new GrainTimerCreationOptions(due, interval)
        {
            // No KeepAlive: an idle event may deactivate; the reminder re-activates it (and so this timer).
            Interleave = false,
        });
    }

    private async Task StopDropsAsync()
    {
        await ReminderBackstop.StopAsync(this, DropReminder, _dropTimer);
        _dropTimer = null;
    }
}
