using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Geo;
using CityArray.Grains.Interfaces.Collectibles;
using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Users;
using CityArray.Grains.Interfaces.Validation;
using CityArray.Grains.Users;

namespace CityArray.Tests.Civic;

/// <summary>A write that fails once must not leave the change in memory only: the retry really stores it.</summary>
[Collection(CivicCollection.Name)]
public sealed class FailedWriteTests(CivicClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_claim_whose_write_failed_is_stored_by_the_retry()
    {
        var creator = await fixture.NewUserAsync();
        var claimer = await fixture.NewUserAsync();
        var ev = await fixture.NewEventAsync(creator.Id, new GeoPoint(151.21, -33.87));
        var dropped = await Grains.GetGrain<IEventGrain>(ev.Id).DropCollectibleAsync(creator.Id, new CollectibleDrop(TtlSeconds: 60));
        var grain = Grains.GetGrain<ICollectibleGrain>(dropped.Id);
        var writes = fixture.Storage.WritesOf(dropped.Id);

        fixture.Storage.FailNextWrite(dropped.Id);
        await Assert.ThrowsAnyAsync<Exception>(() => grain.ClaimAsync(claimer.Id));
        Assert.Equal(CollectibleStatus.Active, (await grain.GetAsync())!.Status);

        var retry = await grain.ClaimAsync(claimer.Id);
        Assert.True(retry.Success);
        Assert.Equal(writes + 1, fixture.Storage.WritesOf(dropped.Id));
        Assert.Single(await Grains.GetGrain<IUserGrain>(claimer.Id).GetCollectiblesAsync(), c => c.Id == dropped.Id);
    }

    [Fact]
    public async Task A_join_whose_attendance_write_failed_records_it_on_the_retry()
    {
        var creator = await fixture.NewUserAsync();
        var guest = await fixture.NewUserAsync();
        var ev = await fixture.NewEventAsync(creator.Id, new GeoPoint(151.22, -33.88));
        var writes = fixture.Storage.WritesOf(guest.Id);

        fixture.Storage.FailNextWrite(guest.Id);
        await Assert.ThrowsAnyAsync<Exception>(() => Grains.GetGrain<IEventGrain>(ev.Id).JoinAsync(guest.Id));
        var retry = await Grains.GetGrain<IEventGrain>(ev.Id).JoinAsync(guest.Id);
        Assert.Equal(1, retry.Event.ParticipantCount);
        Assert.Equal(writes + 1, fixture.Storage.WritesOf(guest.Id));
        Assert.Equal(1, (await Grains.GetGrain<IUserGrain>(guest.Id).GetAsync())!.Stats.EventsAttended);
        await Grains.GetGrain<IEventGrain>(ev.Id).LeaveAsync(guest.Id);
    }

    [Fact]
    public async Task A_join_whose_participant_write_failed_stores_it_on_the_retry()
    {
        var creator = await fixture.NewUserAsync();
        var guest = await fixture.NewUserAsync();
        var ev = await fixture.NewEventAsync(creator.Id, new GeoPoint(151.23, -33.89));
        var writes = fixture.Storage.WritesOf(ev.Id);

        fixture.Storage.FailNextWrite(ev.Id);
        await Assert.ThrowsAnyAsync<Exception>(() => Grains.GetGrain<IEventGrain>(ev.Id).JoinAsync(guest.Id));
        Assert.Equal(0, (await Grains.GetGrain<IEventGrain>(ev.Id).GetAsync())!.ParticipantCount);
        await Grains.GetGrain<IEventGrain>(ev.Id).JoinAsync(guest.Id);
        Assert.True(fixture.Storage.WritesOf(ev.Id) > writes);
        await Grains.GetGrain<IEventGrain>(ev.Id).EndAsync(creator.Id);
    }

    [Fact]
    public async Task A_geo_cell_recovers_after_one_failed_write()
    {
        var creator = await fixture.NewUserAsync();
        var at = new GeoPoint(174.76, -36.85); // Auckland: no other test indexes here
        var finest = Geohash.Encode(at.Latitude, at.Longitude, GeoIndex.Precisions[^1]);
        var id = CivicIds.New();
        var draft = new EventDraft("Recover", null, "music", at, null);

        fixture.Storage.FailNextWrite(finest);
        await Assert.ThrowsAnyAsync<Exception>(() => Grains.GetGrain<IEventGrain>(id).CreateAsync(creator.Id, draft));
        var created = await Grains.GetGrain<IEventGrain>(id).CreateAsync(creator.Id, draft); // the retry finishes indexing
        Assert.Equal(EventStatus.Active, created.Status);
        Assert.Contains(await Grains.GetGrain<IEventSearchGrain>(0).NearbyAsync(at, 1000), n => n.Event.Id == id);
        await Grains.GetGrain<IEventGrain>(id).EndAsync(creator.Id);
    }

    [Fact]
    public async Task A_registration_whose_user_write_failed_is_created_by_the_retry()
    {
        var phone = "+61" + Random.Shared.NextInt64(400_000_000, 499_999_999);
        var registry = Grains.GetGrain<IPhoneRegistryGrain>(phone);

        fixture.Storage.FailNextWrite((id, state) => state is UserState { Phone: var p } && p == phone);
        await Assert.ThrowsAnyAsync<Exception>(() => registry.RegisterAsync("Ana"));
        var retry = await registry.RegisterAsync("Ana");
        Assert.True(retry.Created);
        Assert.Equal(phone, retry.User.Phone);
        Assert.Equal(await registry.GetUserIdAsync(), retry.User.Id);
        Assert.False((await registry.RegisterAsync("Ana")).Created);
    }
}
