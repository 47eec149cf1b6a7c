using CityArray.Grains.Interfaces.Collectibles;

namespace CityArray.Grains.Interfaces.Users;

/// <summary>One user (key = user id): profile, stats and collectibles inventory. Created only through the phone registry.</summary>
[Alias("CityArray.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Creates the user; idempotent for the same phone, a conflict for another one.</summary>
    [Alias("Initialize")]
    Task<UserView> InitializeAsync(string phone, string name);

    /// <summary>The profile with stats, or null if the user does not exist.</summary>
    [Alias("Get"), ReadOnly]
    Task<UserView?> GetAsync();

    /// <summary>The user's collectibles, oldest claim first; throws not_found if the user does not exist.</summary>
    [Alias("GetCollectibles"), ReadOnly]
    Task<IReadOnlyList<CollectibleView>> GetCollectiblesAsync();

    /// <summary>Counts an event the user created; idempotent by event id.</summary>
    [Alias("RecordEventCreated")]
    Task RecordEventCreatedAsync(string eventId);

    /// <summary>Counts an event the user attended; idempotent by event id (joining twice counts once).</summary>
    [Alias("RecordAttendance")]
    Task RecordAttendanceAsync(string eventId);

    /// <summary>Adds a won collectible to the inventory; idempotent by collectible id. True if it was new.</summary>
    [Alias("AddCollectible")]
    Task<bool> AddCollectibleAsync(CollectibleView collectible);
}
