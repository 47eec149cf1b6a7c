using CityArray.Grains.Interfaces.Geo;
using CityArray.Tests.Infrastructure;
using CityArray.Grains.Geo;
using CityArray.Grains.Interfaces.Collectibles;
using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Validation;
using CityArray.Tests.Civic;

namespace CityArray.Tests.Events;

/// <summary>Events nobody ends end by themselves after the maximum lifetime (3 s in this fixture).</summary>
[Collection(CivicCollection.Name)]
public sealed class EventLifetimeTests(ShortLivedEventsFixture fixture) : IClassFixture<ShortLivedEventsFixture>
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task An_event_with_participants_ends_by_itself_and_stops_dropping()
    {
        var creator = await fixture.NewUserAsync();
        var guest = await fixture.NewUserAsync();
        var ev = await fixture.NewEventAsync(creator.Id, Places.Cartagena);
        await using var probe = await StreamProbe.SubscribeAsync(fixture.Cluster.Client, ev.Id);
        await Grains.GetGrain<IEventGrain>(ev.Id).JoinAsync(guest.Id);
        await probe.WaitForAsync(n => n.Type == EventNotification.CollectibleDrop, TimeSpan.FromSeconds(10));

        // The drop timer ends it without any call: the index cells (read directly) lose it.
        var finest = Geohash.Encode(Places.Cartagena.Latitude, Places.Cartagena.Longitude, GeoIndex.Precisions[^1]);
        await Eventually.UntilAsync(
            async () => (await Grains.GetGrain<IGeoCellGrain>(finest).GetAllAsync()).All(e => e.EventId != ev.Id),
            () => "event still indexed", TimeSpan.FromSeconds(15));

        var ended = (await Grains.GetGrain<IEventGrain>(ev.Id).GetAsync())!;
        Assert.Equal(EventStatus.Ended, ended.Status);
        Assert.Equal(ev.CreatedAt + TimeSpan.FromSeconds(ShortLivedEventsFixture.MaxLifetimeSeconds), ended.EndedAt);
        Assert.Empty(await Grains.GetGrain<IEventSearchGrain>(0).NearbyAsync(Places.Cartagena, 1000));

        var dropsAfterEnd = probe.Received.Count(n => n.Type == EventNotification.CollectibleDrop);
        await Task.Delay(TimeSpan.FromSeconds(CivicClusterFixture.DropIntervalSeconds * 2.5));
        Assert.Equal(dropsAfterEnd, probe.Received.Count(n => n.Type == EventNotification.CollectibleDrop));
        var late = await Assert.ThrowsAsync<CivicException>(() => Grains.GetGrain<IEventGrain>(ev.Id).JoinAsync(creator.Id));
        Assert.Equal(CivicErrors.Conflict, late.Code);
    }

    [Fact]
    public async Task An_idle_event_ends_by_itself_at_the_end_of_its_lifetime()
    {
        var creator = await fixture.NewUserAsync();
        var at = new GeoPoint(Places.Madrid.Longitude + 0.01, Places.Madrid.Latitude);
        var ev = await fixture.NewEventAsync(creator.Id, at);
        Assert.Contains(await Grains.GetGrain<IEventSearchGrain>(0).NearbyAsync(at, 1000), n => n.Event.Id == ev.Id);

        // Nobody calls the event: its own lifetime timer ends it and takes it out of the index.
        var finest = Geohash.Encode(at.Latitude, at.Longitude, GeoIndex.Precisions[^1]);
        await Eventually.UntilAsync(async () => !(await Grains.GetGrain<IGeoCellGrain>(finest).GetAllAsync()).Any(e => e.EventId == ev.Id));
        Assert.DoesNotContain(await Grains.GetGrain<IEventSearchGrain>(0).NearbyAsync(at, 1000), n => n.Event.Id == ev.Id);
        var ended = await Grains.GetGrain<IEventGrain>(ev.Id).GetAsync();
        Assert.Equal(EventStatus.Ended, ended!.Status);
        Assert.Equal(ev.CreatedAt + TimeSpan.FromSeconds(ShortLivedEventsFixture.MaxLifetimeSeconds), ended.EndedAt);
        var drop = await Assert.ThrowsAsync<CivicException>(() =>
            Grains.GetGrain<IEventGrain>(ev.Id).DropCollectibleAsync(creator.Id, new CollectibleDrop(null, null, null)));
        Assert.Equal(CivicErrors.Conflict, drop.Code);
    }

    [Fact]
    public async Task An_event_whose_activation_was_collected_still_ends_at_the_end_of_its_lifetime()
    {
        var creator = await fixture.NewUserAsync();
        var at = new GeoPoint(Places.Madrid.Longitude - 0.02, Places.Madrid.Latitude + 0.01);
        var ev = await fixture.NewEventAsync(creator.Id, at);
        var eventId = Grains.GetGrain<IEventGrain>(ev.Id).GetGrainId();

        // The event's activation goes away (idle collection) well before its lifetime ends: no timer of its own survives.
        var management = Grains.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
        Assert.DoesNotContain(eventId, await management.GetActiveGrains(eventId.Type));

        // The silo's deadline calls it back at the end of its lifetime, and it leaves the index (read without calling it).
        var finest = Geohash.Encode(at.Latitude, at.Longitude, GeoIndex.Precisions[^1]);
        await Eventually.UntilAsync(async () => !(await Grains.GetGrain<IGeoCellGrain>(finest).GetAllAsync()).Any(e => e.EventId == ev.Id),
            () => "the collected event was not ended", TimeSpan.FromSeconds(15));
        var ended = await Grains.GetGrain<IEventGrain>(ev.Id).GetAsync();
        Assert.Equal(EventStatus.Ended, ended!.Status);
        Assert.Equal(ev.CreatedAt + TimeSpan.FromSeconds(ShortLivedEventsFixture.MaxLifetimeSeconds), ended.EndedAt);
    }
}
