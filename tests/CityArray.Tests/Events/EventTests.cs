using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Validation;
using CityArray.Tests.Civic;

namespace CityArray.Tests.Events;

[Collection(CivicCollection.Name)]
public sealed class EventTests(CivicClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task Create_get_join_leave_and_end()
    {
        var creator = await fixture.NewUserAsync();
        var guest = await fixture.NewUserAsync();
        var created = await Grains.GetGrain<IEventGrain>(CivicIds.New()).CreateAsync(creator.Id,
            new EventDraft("  Rock al Parque ", "Festival", " Music ", Places.Medellin, "Parque Simón Bolívar"));
        Assert.Equal("Rock al Parque", created.Title);
        Assert.Equal("music", created.Category);
        Assert.Equal(EventStatus.Active, created.Status);
        Assert.Equal(creator.Id, created.CreatorId);
        Assert.Null(created.RoomUrl);
        Assert.Equal(0, created.ParticipantCount);

        var grain = Grains.GetGrain<IEventGrain>(created.Id);
        await using var probe = await StreamProbe.SubscribeAsync(fixture.Cluster.Client, created.Id);
        var join = await grain.JoinAsync(guest.Id);
        Assert.Equal(1, join.Event.ParticipantCount);
        Assert.Null(join.RoomUrl);
        Assert.Null(join.Token);
        Assert.Equal(1, (await grain.JoinAsync(guest.Id)).Event.ParticipantCount);
        await probe.WaitForAsync(n => n.Type == EventNotification.UserJoined && n.UserId == guest.Id, TimeSpan.FromSeconds(10));

        Assert.True(await grain.LeaveAsync(guest.Id));
        Assert.False(await grain.LeaveAsync(guest.Id));
        Assert.Equal(0, (await grain.GetAsync())!.ParticipantCount);
        await probe.WaitForAsync(n => n.Type == EventNotification.UserLeft && n.UserId == guest.Id, TimeSpan.FromSeconds(10));

        var forbidden = await Assert.ThrowsAsync<CivicException>(() => grain.EndAsync(guest.Id));
        Assert.Equal(CivicErrors.Forbidden, forbidden.Code);
        Assert.Equal(EventStatus.Active, (await grain.GetAsync())!.Status);

        var ended = await grain.EndAsync(creator.Id);
        Assert.Equal(EventStatus.Ended, ended.Status);
        Assert.NotNull(ended.EndedAt);
        Assert.Equal(EventStatus.Ended, (await grain.EndAsync(creator.Id)).Status); // idempotent

        var late = await Assert.ThrowsAsync<CivicException>(() => grain.JoinAsync(guest.Id));
        Assert.Equal(CivicErrors.Conflict, late.Code);
    }

    [Fact]
    public async Task Ended_events_leave_search_at_once()
    {
        var creator = await fixture.NewUserAsync();
        var search = Grains.GetGrain<IEventSearchGrain>(0);
        var ev = await fixture.NewEventAsync(creator.Id, Places.Lisbon);
        var near = new GeoPoint(Places.Lisbon.Longitude + 0.001, Places.Lisbon.Latitude);

        var before = await search.NearbyAsync(near, IEventSearchGrain.DefaultMaxDistanceM);
        var hit = Assert.Single(before, e => e.Event.Id == ev.Id);
        Assert.InRange(hit.DistanceM, 80, 90);

        await Grains.GetGrain<IEventGrain>(ev.Id).EndAsync(creator.Id);
        Assert.DoesNotContain(await search.NearbyAsync(near, IEventSearchGrain.DefaultMaxDistanceM), e => e.Event.Id == ev.Id);
    }

    public static TheoryData<double, double, string> BadCoordinates => new()
    {
        { 35.68, 139.69, "latitude" },   // [lat, lng] sent instead of [lng, lat] (Tokyo)
        { 181, 4.65, "longitude" },
        { -74.08, -91, "latitude" },
        { double.NaN, 4.65, "longitude" },
    };

    [Theory]
    [MemberData(nameof(BadCoordinates))]
    public async Task Bad_coordinates_are_rejected(double lng, double lat, string mentioned)
    {
        var creator = await fixture.NewUserAsync();
        var e = await Assert.ThrowsAsync<CivicException>(() => Grains.GetGrain<IEventGrain>(CivicIds.New())
            .CreateAsync(creator.Id, new EventDraft("t", null, "music", new GeoPoint(lng, lat), null)));
        Assert.Equal(CivicErrors.Invalid, e.Code);
        Assert.Equal("coordinates", e.Field);
        Assert.Contains(mentioned, e.Message);
    }

    [Fact]
    public async Task Bad_fields_and_unknown_ids_are_clear_errors()
    {
        var creator = await fixture.NewUserAsync();
        var events = Grains.GetGrain<IEventGrain>(CivicIds.New());

        var title = await Assert.ThrowsAsync<CivicException>(() => events.CreateAsync(creator.Id, new EventDraft("", null, "music", Places.Cali, null)));
        Assert.Equal("title", title.Field);
        var category = await Assert.ThrowsAsync<CivicException>(() => events.CreateAsync(creator.Id, new EventDraft("t", null, new string('c', 51), Places.Cali, null)));
        Assert.Equal("category", category.Field);
        var unknownCreator = await Assert.ThrowsAsync<CivicException>(() => events.CreateAsync(CivicIds.New(), new EventDraft("t", null, "music", Places.Cali, null)));
        Assert.Equal(CivicErrors.NotFound, unknownCreator.Code);
        Assert.Equal("creator_id", unknownCreator.Field);

        var unknownEvent = Grains.GetGrain<IEventGrain>(CivicIds.New());
        Assert.Null(await unknownEvent.GetAsync());
        Assert.Equal(CivicErrors.NotFound, (await Assert.ThrowsAsync<CivicException>(() => unknownEvent.JoinAsync(creator.Id))).Code);
        Assert.Equal(CivicErrors.NotFound, (await Assert.ThrowsAsync<CivicException>(() => unknownEvent.EndAsync(creator.Id))).Code);

        var ev = await fixture.NewEventAsync(creator.Id, Places.Cali);
        var unknownUser = await Assert.ThrowsAsync<CivicException>(() => Grains.GetGrain<IEventGrain>(ev.Id).JoinAsync(CivicIds.New()));
        Assert.Equal(CivicErrors.NotFound, unknownUser.Code);
        Assert.Equal("user_id", unknownUser.Field);
        await Grains.GetGrain<IEventGrain>(ev.Id).EndAsync(creator.Id);

        var search = Grains.GetGrain<IEventSearchGrain>(0);
        Assert.Equal("max_distance", (await Assert.ThrowsAsync<CivicException>(() => search.NearbyAsync(Places.Cali, 50_001))).Field);
        Assert.Equal("max_distance", (await Assert.ThrowsAsync<CivicException>(() => search.NearbyAsync(Places.Cali, 0))).Field);
        Assert.Equal("coordinates", (await Assert.ThrowsAsync<CivicException>(() => search.NearbyAsync(new GeoPoint(0, 95), 1000))).Field);
    }

    [Fact]
    public async Task Chat_is_for_participants_and_rate_limited()
    {
        var creator = await fixture.NewUserAsync();
        var guest = await fixture.NewUserAsync();
        var ev = await fixture.NewEventAsync(creator.Id, Places.Cartagena);
        var grain = Grains.GetGrain<IEventGrain>(ev.Id);
        await using var probe = await StreamProbe.SubscribeAsync(fixture.Cluster.Client, ev.Id);

        var outsider = await Assert.ThrowsAsync<CivicException>(() => grain.ChatAsync(guest.Id, "hola"));
        Assert.Equal(CivicErrors.Forbidden, outsider.Code);

        await grain.JoinAsync(guest.Id);
        Assert.Equal("message", (await Assert.ThrowsAsync<CivicException>(() => grain.ChatAsync(guest.Id, " "))).Field);
        Assert.Equal("message", (await Assert.ThrowsAsync<CivicException>(() => grain.ChatAsync(guest.Id, new string('x', 501)))).Field);

        for (var i = 0; i < 5; i++) await grain.ChatAsync(guest.Id, $"mensaje {i}");
        var limited = await Assert.ThrowsAsync<CivicException>(() => grain.ChatAsync(guest.Id, "uno más"));
        Assert.Equal(CivicErrors.RateLimited, limited.Code);

        var chat = await probe.WaitForAsync(n => n.Type == EventNotification.ChatMessage && n.Message == "mensaje 4", TimeSpan.FromSeconds(10));
        Assert.Equal(guest.Id, chat.UserId);
        Assert.Equal(ev.Id, chat.EventId);

        await grain.EndAsync(creator.Id);
    }
}
