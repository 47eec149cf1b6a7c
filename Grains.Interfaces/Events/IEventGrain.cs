using CityArray.Grains.Interfaces.Collectibles;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Grains.Interfaces.Events;

/// <summary>
/// One event (key = event id, made by <see cref="CivicIds.New"/>): details, participants, chat, collectible drops.
/// Publishes <see cref="EventNotification"/>s on its stream. Errors are <see cref="CivicException"/>s.
/// </summary>
[Alias("CityArray.IEventGrain")]
public interface IEventGrain : IGrainWithStringKey
{
    /// <summary>Creates the event for an existing user, indexes it for search and counts it in the creator's stats.</summary>
    [Alias("Create")]
    Task<EventView> CreateAsync(string creatorId, EventDraft draft);

    /// <summary>The event, or null if it does not exist.</summary>
    [Alias("Get"), ReadOnly]
    Task<EventView?> GetAsync();

    /// <summary>Adds an existing user to an active event (idempotent); counts the attendance once per user and event.</summary>
    [Alias("Join")]
    Task<JoinResult> JoinAsync(string userId);

    /// <summary>Removes a participant; false if they were not one.</summary>
    [Alias("Leave")]
    Task<bool> LeaveAsync(string userId);

    /// <summary>Ends the event (creator only, else forbidden): drops stop and it leaves search at once. Idempotent.</summary>
    [Alias("End")]
    Task<EventView> EndAsync(string userId);

    /// <summary>Sends a chat message to the participants; only participants may chat, at a limited rate.</summary>
    [Alias("Chat")]
    Task<EventNotification> ChatAsync(string userId, string message);

    /// <summary>The creator drops a collectible now.</summary>
    [Alias("DropCollectible")]
    Task<CollectibleView> DropCollectibleAsync(string userId, CollectibleDrop drop);

    /// <summary>The event's unclaimed, unexpired collectibles.</summary>
    [Alias("GetActiveCollectibles")]
    Task<IReadOnlyList<CollectibleView>> GetActiveCollectiblesAsync();

    /// <summary>Publishes a piece of live transcription to the participants (the seam for the transcription service).</summary>
    [Alias("PublishTranscript")]
    Task PublishTranscriptAsync(string text, bool isFinal);

    /// <summary>
    /// The event's video room exists now (created by a retry after the video service was down): its URL is stored
    /// unless the event has one or has ended. One-way, so the room grain never waits on the event grain.
    /// </summary>
    [Alias("RoomReady"), OneWay]
    Task RoomReadyAsync(string roomUrl);
}
