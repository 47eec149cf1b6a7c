using CityArray.Grains.Interfaces.Video;

namespace CityArray.Grains.Video;

/// <summary>Daily video rooms: each event's room is kept by its <see cref="IVideoRoomGrain"/> (same key as the event).</summary>
public sealed class DailyVideoRooms(IGrainFactory grains) : IVideoRooms
{
    public Task<string?> CreateRoomAsync(string eventId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IVideoRoomGrain>(eventId).OpenAsync(expiresAt);

    public async Task<string?> CreateTokenAsync(string eventId, string userId, string userName, bool isOwner, CancellationToken cancellationToken = default) =>
        (await grains.GetGrain<IVideoRoomGrain>(eventId).JoinAsync(userId, userName, isOwner)).Token;

    public async Task<string?> GetRoomUrlAsync(string eventId, CancellationToken cancellationToken = default)
    {
        var room = await grains.GetGrain<IVideoRoomGrain>(eventId).GetAsync();
        return room.Status == VideoRoomGrain.Open ? room.RoomUrl : null;
    }

    public Task DeleteRoomAsync(string eventId, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IVideoRoomGrain>(eventId).CloseAsync();
}
