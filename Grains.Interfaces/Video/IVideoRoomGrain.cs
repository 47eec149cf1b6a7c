namespace CityArray.Grains.Interfaces.Video;

/// <summary>
/// The video room (Daily) of one civic event (key = event id). The grain records what is wanted first (a room until the
/// event's end, or its deletion), then asks Daily; whatever Daily refuses or does not answer is retried on a timer and a
/// reminder until it is done. No call ever fails because Daily is down: the room is simply not there yet.
/// </summary>
[Alias("CityArray.IVideoRoomGrain")]
public interface IVideoRoomGrain : IGrainWithStringKey
{
    /// <summary>Wants a room that expires at <paramref name="expiresAt"/>; its URL when it exists now, else null (retried).</summary>
    [Alias("Open")]
    Task<string?> OpenAsync(DateTimeOffset expiresAt);

    /// <summary>A meeting token for a participant (owner for the creator); tries to create a missing room first.</summary>
    [Alias("Join")]
    Task<VideoJoin> JoinAsync(string userId, string userName, bool isOwner);

    /// <summary>Wants the room deleted (the event ended); retried until Daily confirms. Idempotent.</summary>
    [Alias("Close")]
    Task CloseAsync();

    /// <summary>What the grain knows about the room.</summary>
    [Alias("Get"), ReadOnly]
    Task<VideoRoomView> GetAsync();
}
