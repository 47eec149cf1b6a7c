using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Interfaces.Civic;

/// <summary>Nearby search over the geo cell grains (a stateless worker; use key 0).</summary>
[Alias("CityArray.IEventSearchGrain")]
public interface IEventSearchGrain : IGrainWithIntegerKey
{
    /// <summary>Default search radius in metres.</summary>
    public const double DefaultMaxDistanceM = 5_000;

    /// <summary>Largest accepted search radius in metres.</summary>
    public const double MaxDistanceLimitM = 50_000;

    /// <summary>
    /// Active events within <paramref name="maxDistanceM"/> metres (great-circle) of <paramref name="center"/>,
    /// nearest first (ties by id); at most <paramref name="limit"/> of them when it is positive.
    /// </summary>
    [Alias("Nearby"), ReadOnly]
    Task<IReadOnlyList<NearbyEvent>> NearbyAsync(GeoPoint center, double maxDistanceM, int limit = 0);
}
