namespace CityArray.Grains.Interfaces.Health;

/// <summary>Answers <c>/ready</c>: reaching it proves the cluster answers, and it writes its state to prove storage is writable.</summary>
[Alias("CityArray.IReadinessProbeGrain")]
public interface IReadinessProbeGrain : IGrainWithStringKey
{
    /// <summary>Writes a probe record and returns the time it wrote.</summary>
    [Alias("Probe")]
    Task<DateTimeOffset> ProbeAsync();
}
