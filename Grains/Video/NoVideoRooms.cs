namespace CityArray.Grains.Video;

/// <summary>Video rooms switched off: no room, no token.</summary>
public sealed class NoVideoRooms : IVideoRooms
{
    public Task<string?> CreateRoomAsync(string eventId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
        Task.FromResult<string?>(null);

    public Task<string?> CreateTokenAsync(string eventId, string userId, string userName, bool isOwner, CancellationToken cancellationToken = default) =>
        Task.FromResult<string?>(null);

    public Task DeleteRoomAsync(string eventId, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
