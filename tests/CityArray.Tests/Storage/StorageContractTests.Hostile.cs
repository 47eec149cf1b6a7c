using CityArray.Grains;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Signs;
using CityArray.Silo.Storage.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace CityArray.Tests.Storage;

/// <summary>Storage cases for client-chosen strings: nothing a client writes may be read back as serializer metadata.</summary>
public abstract partial class StorageContractTests<TFixture>
{
    /// <summary>Strings Newtonsoft with type names would read as metadata, and a few other awkward ones.</summary>
    public static readonly string[] MetadataLookalikes =
        ["$type", "$ref", "$values", "$id", "$value", "$", "$$type", "{\"$type\":\"System.Object\"}", "\u0000", "é€😀"];

    [SkippableFact]
    public async Task Metric_names_like_dollar_type_read_back_after_a_restart()
    {
        var grainId = GrainId.Create("sign", $"hostile-{Guid.NewGuid():N}");
        var values = MetadataLookalikes.Select((name, i) => (name, value: i + 0.5)).ToDictionary(p => p.name, p => p.value, StringComparer.Ordinal);
        var written = new GrainState<SignMetricsState>(new SignMetricsState
        {
            Samples = [new MetricsSample(DateTimeOffset.Parse("2026-12-01T20:00:00Z"), values)],
        });
        await (await GrainsAsync()).WriteStateAsync("sign-metrics", grainId, written);

        await Fixture.RestartAsync();

        var read = new GrainState<SignMetricsState>();
        await (await GrainsAsync()).ReadStateAsync("sign-metrics", grainId, read);
        Assert.True(read.RecordExists);
        var sample = Assert.Single(read.State.Samples);
        Assert.Equal(values.OrderBy(p => p.Key, StringComparer.Ordinal), sample.Values.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Dollar_prefixed_values_in_every_string_read_back_after_a_restart()
    {
        var grainId = NewGrainId();
        var hostile = new ContractState
        {
            Name = "$type",
            Count = 3,
            Tags = [.. MetadataLookalikes],
            Scores = MetadataLookalikes.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i),
            UpdatedAt = DateTimeOffset.Parse("2026-12-01T20:00:00+01:00"),
        };
        await (await GrainsAsync()).WriteStateAsync(StateName, grainId, new GrainState<ContractState>(hostile));

        await Fixture.RestartAsync();

        var read = await ReadAsync(await GrainsAsync(), grainId);
        Assert.True(read.RecordExists);
        AssertSame(hostile, read.State);
    }

    [SkippableFact]
    public async Task A_row_written_by_the_previous_json_serializer_still_reads_and_is_rewritten_in_the_new_format()
    {
        var host = await Fixture.GetHostAsync();
        var storage = await GrainsAsync();
        var grainId = NewGrainId();
        var state = new GrainState<ContractState>(ContractState.Sample($"legacy-{Guid.NewGuid():N}", 11));
        await storage.WriteStateAsync(StateName, grainId, state);
        // Turn the stored row into what the provider's old default (Newtonsoft JSON with type names) wrote.
        var current = host.Services.GetRequiredKeyedService<IGrainStorageSerializer>(StorageNames.Grains).Serialize(state.State).ToArray();
        var legacy = new JsonGrainStorageSerializer(host.Services.GetRequiredService<OrleansJsonSerializer>()).Serialize(state.State).ToArray();
        Assert.True(CityArrayStateSerializer.IsCurrentFormat(current));
        Assert.Equal((byte)'{', legacy[0]);
        Assert.Equal(1, await Fixture.ReplacePayloadAsync(current, legacy));

        await Fixture.RestartAsync();
        storage = await GrainsAsync();

        var read = await ReadAsync(storage, grainId);
        Assert.True(read.RecordExists);
        AssertSame(state.State, read.State);
        read.State.Count = 12;
        await storage.WriteStateAsync(StateName, grainId, read);
        var rewritten = await ReadAsync(storage, grainId);
        Assert.Equal(12, rewritten.State.Count);
        Assert.Equal(0, await Fixture.ReplacePayloadAsync(legacy, legacy));
    }
}
