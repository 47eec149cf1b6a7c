namespace CityArray.Gateway.Events;

/// <summary>Optional body of <c>POST /api/events/{event_id}/collectibles</c>.</summary>
public sealed record DropCollectibleRequest(string? Name, string? Rarity, int? TtlSeconds);
