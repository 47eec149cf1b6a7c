using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Grains.Interfaces.Events;

/// <summary>What a creator sends to create an event (<c>POST /api/events</c>).</summary>
[GenerateSerializer, Immutable, Alias("CityArray.EventDraft")]
public sealed record EventDraft(
    [property: Id(0)] string Title,
    [property: Id(1)] string? Description,
    [property: Id(2)] string Category,
    [property: Id(3)] GeoPoint Coordinates,
    [property: Id(4)] string? Address)
{
    /// <summary>Throws <see cref="CivicException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        CivicException.ThrowIfInvalid("title", CivicValidation.Title(Title));
        CivicException.ThrowIfInvalid("description", CivicValidation.Description(Description));
        CivicException.ThrowIfInvalid("category", CivicValidation.Category(Category));
        CivicException.ThrowIfInvalid("coordinates", CivicValidation.Coordinates(Coordinates));
        CivicException.ThrowIfInvalid("address", CivicValidation.Address(Address));
    }
}
