using CityArray.Tests.Infrastructure;
using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Collectibles;
using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Users;
using CityArray.Grains.Interfaces.Validation;
using CityArray.Tests.Civic;

namespace CityArray.Tests.Collectibles;

[Collection(CivicCollection.Name)]
public sealed class CollectibleTests(CivicClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task Exactly_one_of_500_concurrent_claimers_wins_and_is_counted_once()
    {
        var creator = await fixture.NewUserAsync();
        var ev = await fixture.NewEventAsync(creator.Id, Places.Madrid);
        var users = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => fixture.NewUserAsync()));
        var drop = await Grains.GetGrain<IEventGrain>(ev.Id)
            .DropCollectibleAsync(creator.Id, new CollectibleDrop("Golden Ticket", CollectibleRarity.Legendary, 60));
        Assert.Equal(CollectibleStatus.Active, drop.Status);
        Assert.Contains(await Grains.GetGrain<IEventGrain>(ev.Id).GetActiveCollectiblesAsync(), c => c.Id == drop.Id);

        var collectible = Grains.GetGrain<ICollectibleGrain>(drop.Id);
        var results = await Task.WhenAll(users.Select(u => collectible.ClaimAsync(u.Id)));

        var winner = Assert.Single(results, r => r.Success);
        Assert.All(results.Where(r => !r.Success), r =>
        {
            Assert.Equal(ClaimResult.AlreadyClaimed, r.Reason);
            Assert.Contains("already claimed", r.Message);
        });
        var winnerId = winner.Collectible!.ClaimedBy!;

        // A retry by the winner succeeds again without counting twice; a retry by a loser still loses.
        Assert.True((await collectible.ClaimAsync(winnerId)).Success);
        Assert.Equal(ClaimResult.AlreadyClaimed, (await collectible.ClaimAsync(users.First(u => u.Id != winnerId).Id)).Reason);

        var inventory = await Grains.GetGrain<IUserGrain>(winnerId).GetCollectiblesAsync();
        var owned = Assert.Single(inventory);
        Assert.Equal(drop.Id, owned.Id);
        Assert.Equal("Golden Ticket", owned.Name);
        Assert.Equal(1, (await Grains.GetGrain<IUserGrain>(winnerId).GetAsync())!.Stats.CollectiblesCount);
        Assert.Equal(CollectibleStatus.Claimed, (await collectible.GetAsync())!.Status);
        Assert.DoesNotContain(await Grains.GetGrain<IEventGrain>(ev.Id).GetActiveCollectiblesAsync(), c => c.Id == drop.Id);
        await Grains.GetGrain<IEventGrain>(ev.Id).EndAsync(creator.Id);
    }

    [Fact]
    public async Task Losers_learn_why()
    {
        var creator = await fixture.NewUserAsync();
        var user = await fixture.NewUserAsync();
        var ev = await fixture.NewEventAsync(creator.Id, Places.Madrid);
        var events = Grains.GetGrain<IEventGrain>(ev.Id);

        var unknown = await Grains.GetGrain<ICollectibleGrain>(CivicIds.New()).ClaimAsync(user.Id);
        Assert.Equal(ClaimResult.NotActive, unknown.Reason);
        Assert.False(unknown.Success);

        var live = await events.DropCollectibleAsync(creator.Id, new CollectibleDrop(TtlSeconds: 60));
        Assert.Contains(live.Rarity, CollectibleRarity.All);
        var ghost = await Grains.GetGrain<ICollectibleGrain>(live.Id).ClaimAsync(CivicIds.New());
        Assert.Equal(ClaimResult.UnknownUser, ghost.Reason);

        var shortLived = await events.DropCollectibleAsync(creator.Id, new CollectibleDrop("Pin", CollectibleRarity.Common, 1));
        Assert.Equal(CollectibleStatus.Active, (await Grains.GetGrain<ICollectibleGrain>(shortLived.Id).GetAsync())!.Status);
        fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(CollectibleStatus.Expired, (await Grains.GetGrain<ICollectibleGrain>(shortLived.Id).GetAsync())!.Status);
        var expired = await Grains.GetGrain<ICollectibleGrain>(shortLived.Id).ClaimAsync(user.Id);
        Assert.Equal(ClaimResult.Expired, expired.Reason);
        Assert.Contains("expired", expired.Message);
        Assert.DoesNotContain(await events.GetActiveCollectiblesAsync(), c => c.Id == shortLived.Id);
        Assert.Empty(await Grains.GetGrain<IUserGrain>(user.Id).GetCollectiblesAsync());

        var notCreator = await Assert.ThrowsAsync<CivicException>(() => events.DropCollectibleAsync(user.Id, new CollectibleDrop()));
        Assert.Equal(CivicErrors.Forbidden, notCreator.Code);
        var badRarity = await Assert.ThrowsAsync<CivicException>(() => events.DropCollectibleAsync(creator.Id, new CollectibleDrop(Rarity: "mythic")));
        Assert.Equal("rarity", badRarity.Field);
        await events.EndAsync(creator.Id);
    }

    [Fact]
    public async Task Drops_arrive_on_the_interval_expire_and_stop_when_the_event_ends()
    {
        var creator = await fixture.NewUserAsync();
        var guest = await fixture.NewUserAsync();
        var ev = await fixture.NewEventAsync(creator.Id, Places.Madrid);
        var events = Grains.GetGrain<IEventGrain>(ev.Id);
        await using var probe = await StreamProbe.SubscribeAsync(fixture.Cluster.Client, ev.Id);

        await Task.Delay(1_500);
        Assert.DoesNotContain(probe.Received, n => n.Type == EventNotification.CollectibleDrop); // nobody there yet

        await events.JoinAsync(guest.Id);
        var first = await probe.WaitForAsync(n => n.Type == EventNotification.CollectibleDrop, TimeSpan.FromSeconds(10));
        Assert.Equal(CivicClusterFixture.TtlSeconds, first.ExpiresIn);
        Assert.Equal(ev.Id, first.Collectible!.EventId);
        Assert.Equal(CivicClusterFixture.TtlSeconds, (first.Collectible.ExpiresAt - first.Collectible.DroppedAt).TotalSeconds, 3);
        Assert.Contains(await events.GetActiveCollectiblesAsync(), c => c.Id == first.Collectible.Id);

        // More drops follow on the interval.
        await probe.WaitForAsync(n => n.Type == EventNotification.CollectibleDrop && n.Collectible!.Id != first.Collectible.Id, TimeSpan.FromSeconds(10));

        // After its TTL the first one is gone and cannot be claimed.
        fixture.Clock.Advance(TimeSpan.FromSeconds(CivicClusterFixture.TtlSeconds));
        Assert.Equal(CollectibleStatus.Expired, (await Grains.GetGrain<ICollectibleGrain>(first.Collectible.Id).GetAsync())!.Status);
        Assert.DoesNotContain(await events.GetActiveCollectiblesAsync(), c => c.Id == first.Collectible.Id);
        Assert.Equal(ClaimResult.Expired, (await Grains.GetGrain<ICollectibleGrain>(first.Collectible.Id).ClaimAsync(guest.Id)).Reason);

        var ended = await events.EndAsync(creator.Id);
        await Task.Delay(2_500);
        // Drops published before the end may still be in flight; none may be made after it.
        Assert.All(probe.Received.Where(n => n.Type == EventNotification.CollectibleDrop),
            n => Assert.True(n.Collectible!.DroppedAt <= ended.EndedAt, "a collectible dropped after the event ended"));
        Assert.Equal(CivicErrors.Conflict, (await Assert.ThrowsAsync<CivicException>(() => events.DropCollectibleAsync(creator.Id, new CollectibleDrop()))).Code);
    }

    [Fact]
    public async Task Manual_drops_stop_at_50_unexpired_collectibles_per_event()
    {
        var creator = await fixture.NewUserAsync();
        var ev = await fixture.NewEventAsync(creator.Id, new GeoPoint(-58.38, -34.60));
        var events = Grains.GetGrain<IEventGrain>(ev.Id);
        for (var i = 0; i < 50; i++) await events.DropCollectibleAsync(creator.Id, new CollectibleDrop(TtlSeconds: 60));

        var refused = await Assert.ThrowsAsync<CivicException>(() => events.DropCollectibleAsync(creator.Id, new CollectibleDrop(TtlSeconds: 60)));
        Assert.Equal(CivicErrors.RateLimited, refused.Code);
        Assert.Contains("50", refused.Message);
        Assert.NotNull(refused.RetryAfter);
        Assert.InRange(refused.RetryAfter!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(60));
        Assert.Equal(50, (await events.GetActiveCollectiblesAsync()).Count);
    }
}
