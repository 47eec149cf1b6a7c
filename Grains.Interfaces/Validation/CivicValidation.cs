using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Validation;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Collectibles;

namespace CityArray.Grains.Interfaces.Validation;

/// <summary>
/// Input rules of the civic API. Each method returns null when the value is valid, else the reason it is not,
/// so the REST layer can answer 400 naming the field. Text is checked after trimming.
/// </summary>
public static class CivicValidation
{
    public const int MaxUserName = 80;
    public const int MaxTitle = 200;
    public const int MaxDescription = 2000;
    public const int MaxCategory = 50;
    public const int MaxAddress = 300;
    public const int MaxChatMessage = 500;
    public const int MaxCollectibleName = 80;
    public const int MaxTtlSeconds = 86_400;

    /// <summary>The one phone rule (<see cref="PhoneNumber"/>): E.164, ASCII digits only.</summary>
    public static string? Phone(string? phone) => PhoneNumber.Validate(phone, "phone");

    /// <summary>A display name of 1 to 80 characters.</summary>
    public static string? UserName(string? name) => Text(name, "name", 1, MaxUserName);

    /// <summary>An event title of 1 to 200 characters.</summary>
    public static string? Title(string? title) => Text(title, "title", 1, MaxTitle);

    /// <summary>An optional description of at most 2000 characters.</summary>
    public static string? Description(string? description) => description is null ? null : Text(description, "description", 0, MaxDescription);

    /// <summary>
    /// A free-text category of 1 to 50 characters (e.g. <c>music</c>, <c>sports</c>, <c>market</c>); stored trimmed
    /// and lower-cased. Free text rather than a fixed list so festivals can add their own.
    /// </summary>
    public static string? Category(string? category) => Text(category, "category", 1, MaxCategory);

    /// <summary>An optional street address of at most 300 characters.</summary>
    public static string? Address(string? address) => address is null ? null : Text(address, "address", 0, MaxAddress);

    /// <summary>A chat message of 1 to 500 characters.</summary>
    public static string? ChatMessage(string? message) => Text(message, "message", 1, MaxChatMessage);

    /// <summary>Coordinates <c>[longitude, latitude]</c> within range.</summary>
    public static string? Coordinates(GeoPoint? point) => point is null ? "coordinates are required as [longitude, latitude]" : point.Validate();

    /// <summary>A user, event or collectible id: 1 to 64 characters of letters, digits, '_' or '-'.</summary>
    public static string? Id(string? id, string what) => EntityId.Validate(id, what);

    /// <summary>A collectible rarity, one of <see cref="CollectibleRarity.All"/>; null means random.</summary>
    public static string? Rarity(string? rarity) =>
        rarity is null || CollectibleRarity.All.Contains(rarity) ? null : $"rarity must be one of {string.Join(", ", CollectibleRarity.All)}";

    /// <summary>A collectible lifetime of 1 second to 1 day; null means the configured default.</summary>
    public static string? TtlSeconds(int? ttl) =>
        ttl is null or (>= 1 and <= MaxTtlSeconds) ? null : $"ttl_seconds must be from 1 to {MaxTtlSeconds}";

    /// <summary>An optional collectible name of 1 to 80 characters.</summary>
    public static string? CollectibleName(string? name) => name is null ? null : Text(name, "name", 1, MaxCollectibleName);

    private static string? Text(string? value, string field, int min, int max)
    {
        var length = value?.Trim().Length ?? 0;
        if (value is null && min > 0) return $"{field} is required";
        return length < min || length > max
            ? min > 0 ? $"{field} must be {min}-{max} characters" : $"{field} must be at most {max} characters"
            : null;
    }
}
