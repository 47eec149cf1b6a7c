namespace CityArray.Grains.Interfaces.Geo;

/// <summary>A position on Earth; on the wire it is <c>[longitude, latitude]</c> (GeoJSON order).</summary>
[GenerateSerializer, Immutable, Alias("CityArray.GeoPoint")]
public sealed record GeoPoint(
    [property: Id(0)] double Longitude,
    [property: Id(1)] double Latitude)
{
    /// <summary>Null when the point is valid, else a sentence saying what is wrong.</summary>
    public string? Validate() =>
        double.IsFinite(Longitude) && Longitude is >= -180 and <= 180
            ? double.IsFinite(Latitude) && Latitude is >= -90 and <= 90
                ? null
                : $"latitude {Latitude} is outside [-90, 90] (coordinates are [longitude, latitude])"
            : $"longitude {Longitude} is outside [-180, 180] (coordinates are [longitude, latitude])";
}
