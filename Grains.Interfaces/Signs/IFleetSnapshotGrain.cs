namespace CityArray.Grains.Interfaces.Signs;

/// <summary>
/// The latest view of every sign (one instance, key 0), kept in memory from the sign grains' own reports, so
/// <c>all_signs</c>, <c>GET /api/signs</c> and an override's <c>unreachable</c> never call every sign grain.
/// </summary>
[Alias("CityArray.IFleetSnapshotGrain")]
public interface IFleetSnapshotGrain : IGrainWithIntegerKey
{
    /// <summary>A sign's view changed. One-way: a sign never waits on the snapshot.</summary>
    [Alias("Update"), OneWay]
    Task UpdateAsync(SignView view);

    /// <summary>Several signs' views changed (a batch from a silo's <see cref="IDashboardPushGrain"/>, oldest first).</summary>
    [Alias("UpdateMany")]
    Task UpdateManyAsync(SignView[] views);

    /// <summary>Every known sign, sorted by id.</summary>
    [Alias("GetAll"), ReadOnly]
    Task<IReadOnlyList<SignView>> GetAllAsync();

    /// <summary>Activates the snapshot (its load of every sign and its liveness sweep); each silo calls it at start.</summary>
    [Alias("Wake")]
    Task WakeAsync();

    /// <summary>Those of <paramref name="signIds"/> that are not connected and online now.</summary>
    [Alias("GetUnreachable"), ReadOnly]
    Task<IReadOnlyList<string>> GetUnreachableAsync(IReadOnlyList<string> signIds);
}
