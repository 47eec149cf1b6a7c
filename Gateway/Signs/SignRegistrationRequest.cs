using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Gateway.Signs;

/// <summary>Body of <c>PUT /api/signs/{sign_id}</c>; fields left out keep their current value.</summary>
public sealed record SignRegistrationRequest(string? Name, string? Zone, GeoPoint? Coordinates)
{
    /// <summary>Throws a <see cref="RequestException"/> naming the first bad field.</summary>
    public void Validate()
    {
        if (Name is not null && (Name.Trim().Length == 0 || Name.Length > 100)) throw RequestException.Invalid("name", "must be 1-100 characters");
        if (Zone is not null && !EntityId.IsValid(Zone)) throw RequestException.Invalid("zone", EntityId.Reason);
        RequestException.ThrowIfInvalid("coordinates", Coordinates?.Validate());
    }
}
