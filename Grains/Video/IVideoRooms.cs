namespace CityArray.Grains.Video;

/// <summary>
/// The seam for video rooms (Daily): one room per event, a meeting token per join. The default
/// <see cref="NoVideoRooms"/> answers null everywhere, so events work without video.
/// </summary>
public interface IVideoRooms
{
    /// <summary>Creates the event's room and returns its URL, or null when video is not configured.</summary>
    Task<string?> CreateRoomAsync(string eventId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>A meeting token for a user (owner for the creator), or null when video is not configured.</summary>
    Task<string?> CreateTokenAsync(string eventId, string userId, string userName, bool isOwner, CancellationToken cancellationToken = default);

    /// <summary>The room's URL once it exists (it may be created after the event, when the service was down).</summary>
    Task<string?> GetRoomUrlAsync(string eventId, CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);

    /// <summary>Deletes the event's room when it ends; nothing when video is not configured.</summary>
    Task DeleteRoomAsync(string eventId, CancellationToken cancellationToken = default);
}
