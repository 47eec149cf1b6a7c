using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Interfaces.Geo;

/// <summary>Nearby search over the geo cell grains (a stateless worker; use key 0).</summary>
[Alias("CityArray.IEventSearchGrain")]
public interface IEventSearchGrain : IGrainWithIntegerKey
{
    /// <summary>Default search radius in metres.</summary>
    public const double DefaultMaxDistanceM = 5_000;

    /// <summary>Largest accepted search radius in metres.</summary>
    public const double MaxDistanceLimitM = 50_000;

    /// <summary>Results returned when no limit is given (the nearest 20, as the system CityArray replaces).</summary>
    public const int DefaultLimit = 20;

    /// <summary>Largest accepted result limit.</summary>
    public const int MaxLimit = 100;

    /// <summary>
    /// Active events within <paramref name="maxDistanceM"/> metres (great-circle) of <paramref name="center"/>,
    /// nearest first (ties by id); at most <paramref name="limit"/> of them (1 to <see cref="MaxLimit"/>).
    /// Answered from the geo cells' own entries, without a call per hit.
    /// </summary>
    [Alias("Nearby"), ReadOnly]
    Task<IReadOnlyList<NearbyEvent>> NearbyAsync(GeoPoint center, double maxDistanceM, int limit = DefaultLimit);
}
