using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Gateway.Signs;

/// <summary>Body of <c>PUT /api/signs/{sign_id}</c>; fields left out keep their current value.</summary>
public sealed record SignRegistrationRequest(string? Name, string? Zone, GeoPoint? Coordinates)
{
    /// <summary>Null when valid, else the field and the reason.</summary>
    public (string Field, string Reason)? Validate()
    {
        if (Name is not null && (Name.Trim().Length == 0 || Name.Length > 100)) return ("name", "must be 1-100 characters");
        if (Zone is not null && SignId.Validate(Zone) is not null) return ("zone", "must be 1-64 characters of letters, digits, '_', '.' or '-'");
        if (Coordinates?.Validate() is { } reason) return ("coordinates", reason);
        return null;
    }
}
