using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Users;
using CityArray.Grains.Interfaces.Validation;
using CityArray.Tests.Civic;

namespace CityArray.Tests.Users;

[Collection(CivicCollection.Name)]
public sealed class UserTests(CivicClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task Concurrent_registrations_of_one_phone_give_exactly_one_user()
    {
        const string phone = "+573001234567";
        var results = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(i => Grains.GetGrain<IPhoneRegistryGrain>(phone).RegisterAsync($"Juan {i}")));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.User.Id).Distinct());
        var user = await Grains.GetGrain<IUserGrain>(results[0].User.Id).GetAsync();
        Assert.NotNull(user);
        Assert.Equal(phone, user.Phone);
        Assert.Equal(results.Single(r => r.Created).User.Name, user.Name);
        Assert.Equal(new UserStats(0, 0, 0), user.Stats);
    }

    [Theory]
    [InlineData("3001234567")]
    [InlineData("+0573001234567")]
    [InlineData("+57 300 123 4567")]
    [InlineData("+57300")]
    [InlineData("+5730012345678901")]
    public async Task Bad_phones_are_rejected_naming_the_field(string phone)
    {
        var e = await Assert.ThrowsAsync<CivicException>(() => Grains.GetGrain<IPhoneRegistryGrain>(phone).RegisterAsync("Juan"));
        Assert.Equal(CivicErrors.Invalid, e.Code);
        Assert.Equal("phone", e.Field);
        Assert.Contains("E.164", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Bad_names_are_rejected(string name)
    {
        var e = await Assert.ThrowsAsync<CivicException>(() => Grains.GetGrain<IPhoneRegistryGrain>("+573009999999").RegisterAsync(name));
        Assert.Equal("name", e.Field);
        var tooLong = await Assert.ThrowsAsync<CivicException>(() => Grains.GetGrain<IPhoneRegistryGrain>("+573009999999").RegisterAsync(new string('x', 81)));
        Assert.Equal("name", tooLong.Field);
        Assert.Null(await Grains.GetGrain<IPhoneRegistryGrain>("+573009999999").GetUserIdAsync());
    }

    [Fact]
    public void Validation_helpers_return_a_reason_or_null()
    {
        Assert.Null(CivicValidation.Phone("+573001234567"));
        Assert.NotNull(CivicValidation.Phone(null));
        Assert.Null(CivicValidation.UserName(new string('x', 80)));
        Assert.NotNull(CivicValidation.UserName(new string('x', 81)));
        Assert.Null(CivicValidation.Title("Concierto"));
        Assert.NotNull(CivicValidation.Title(new string('x', 201)));
        Assert.Null(CivicValidation.Category("music"));
        Assert.NotNull(CivicValidation.Category(""));
        Assert.NotNull(CivicValidation.Category(new string('x', 51)));
        Assert.Null(CivicValidation.Rarity("legendary"));
        Assert.NotNull(CivicValidation.Rarity("mythic"));
        Assert.NotNull(CivicValidation.TtlSeconds(0));
    }

    [Fact]
    public async Task Unknown_users_are_null_and_their_inventory_is_not_found()
    {
        var id = CivicIds.New();
        Assert.Null(await Grains.GetGrain<IUserGrain>(id).GetAsync());
        var e = await Assert.ThrowsAsync<CivicException>(() => Grains.GetGrain<IUserGrain>(id).GetCollectiblesAsync());
        Assert.Equal(CivicErrors.NotFound, e.Code);
    }

    [Fact]
    public async Task Stats_count_each_created_and_attended_event_once()
    {
        var creator = await fixture.NewUserAsync("Creator");
        var guest = await fixture.NewUserAsync("Guest");
        var ev = await fixture.NewEventAsync(creator.Id, Places.Cali);
        var grain = Grains.GetGrain<IEventGrain>(ev.Id);

        await grain.JoinAsync(guest.Id);
        await grain.JoinAsync(guest.Id);
        await grain.LeaveAsync(guest.Id);
        await grain.JoinAsync(guest.Id);
        await grain.JoinAsync(creator.Id);
        await grain.EndAsync(creator.Id);

        var guestView = await Grains.GetGrain<IUserGrain>(guest.Id).GetAsync();
        var creatorView = await Grains.GetGrain<IUserGrain>(creator.Id).GetAsync();
        Assert.Equal(new UserStats(0, 1, 0), guestView!.Stats);
        Assert.Equal(new UserStats(1, 1, 0), creatorView!.Stats);
    }
}
