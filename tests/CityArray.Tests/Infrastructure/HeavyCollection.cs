namespace CityArray.Tests.Infrastructure;

/// <summary>
/// Tests that load the machine (a thousand sockets, real cluster processes) run alone, so they neither slow down
/// the tests that measure latency nor are slowed down by them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyCollection
{
    public const string Name = "heavy (runs alone)";
}
