namespace CityArray.Tests.Storage;

/// <summary>A non-trivial grain state the storage contract round-trips.</summary>
[GenerateSerializer]
public sealed class ContractState
{
    [Id(0)] public string Name { get; set; } = "";
    [Id(1)] public int Count { get; set; }
    [Id(2)] public List<string> Tags { get; set; } = [];
    [Id(3)] public Dictionary<string, int> Scores { get; set; } = [];
    [Id(4)] public DateTimeOffset UpdatedAt { get; set; }

    public static ContractState Sample(string name, int count) => new()
    {
        Name = name,
        Count = count,
        Tags = ["alpha", "beta", name],
        Scores = new() { ["north"] = count, ["south"] = -count },
        UpdatedAt = new DateTimeOffset(2026, 11, 23, 12, 30, 15, TimeSpan.FromHours(-5)).AddMilliseconds(count),
    };
}
