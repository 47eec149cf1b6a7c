using CityArray.Grains;
using Orleans.Storage;

namespace CityArray.Tests.Storage;

/// <summary>Grain storage cases of the storage contract.</summary>
public abstract partial class StorageContractTests<TFixture>
{
    [SkippableFact]
    public async Task Read_of_missing_state_does_not_exist()
    {
        var storage = await GrainsAsync();

        var state = await ReadAsync(storage, NewGrainId());

        Assert.False(state.RecordExists);
    }

    [SkippableFact]
    public async Task Write_then_read_round_trips_the_state()
    {
        var storage = await GrainsAsync();
        var grainId = NewGrainId();
        var written = new GrainState<ContractState>(ContractState.Sample("first", 7));

        await storage.WriteStateAsync(StateName, grainId, written);

        Assert.True(written.RecordExists);
        Assert.False(string.IsNullOrEmpty(written.ETag));
        var read = await ReadAsync(storage, grainId);
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        AssertSame(ContractState.Sample("first", 7), read.State);
    }

    [SkippableFact]
    public async Task Write_with_the_current_etag_succeeds()
    {
        var storage = await GrainsAsync();
        var (grainId, state) = await WriteNewAsync(storage, "v1", 1);
        var firstEtag = state.ETag;

        state.State = ContractState.Sample("v2", 2);
        await storage.WriteStateAsync(StateName, grainId, state);

        Assert.NotEqual(firstEtag, state.ETag);
        var read = await ReadAsync(storage, grainId);
        Assert.Equal(state.ETag, read.ETag);
        AssertSame(ContractState.Sample("v2", 2), read.State);
    }

    [SkippableFact]
    public async Task Write_with_a_stale_etag_throws_and_keeps_the_stored_state()
    {
        var storage = await GrainsAsync();
        var (grainId, current) = await WriteNewAsync(storage, "v1", 1);
        var stale = Copy(current);
        current.State = ContractState.Sample("v2", 2);
        await storage.WriteStateAsync(StateName, grainId, current);

        stale.State = ContractState.Sample("lost", 99);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grainId, stale));

        var read = await ReadAsync(storage, grainId);
        Assert.Equal(current.ETag, read.ETag);
        AssertSame(ContractState.Sample("v2", 2), read.State);
    }

    [SkippableFact]
    public async Task First_write_without_etag_over_an_existing_row_throws()
    {
        var storage = await GrainsAsync();
        var grainId = NewGrainId();
        await storage.WriteStateAsync(StateName, grainId, new GrainState<ContractState>(ContractState.Sample("v1", 1)));

        var blind = new GrainState<ContractState>(ContractState.Sample("blind", 2));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grainId, blind));

        AssertSame(ContractState.Sample("v1", 1), (await ReadAsync(storage, grainId)).State);
    }

    [SkippableFact]
    public async Task Two_concurrent_writers_with_the_same_etag_get_exactly_one_success()
    {
        var storage = await GrainsAsync();
        for (var round = 0; round < 5; round++)
        {
            var (grainId, seed) = await WriteNewAsync(storage, "seed", 0);
            var writers = new[] { Copy(seed), Copy(seed) };
            writers[0].State = ContractState.Sample("a", 1);
            writers[1].State = ContractState.Sample("b", 2);

            var outcomes = await Task.WhenAll(writers.Select(w => Task.Run(async () =>
            {
                try
                {
                    await storage.WriteStateAsync(StateName, grainId, w);
                    return true;
                }
                catch (InconsistentStateException)
                {
                    return false;
                }
            })));

            Assert.Single(outcomes, won => won);
            var winner = writers[Array.IndexOf(outcomes, true)];
            var read = await ReadAsync(storage, grainId);
            Assert.Equal(winner.ETag, read.ETag);
            AssertSame(winner.State, read.State);
        }
    }

    [SkippableFact]
    public async Task Clear_then_read_does_not_exist_and_a_later_write_works()
    {
        var storage = await GrainsAsync();
        var (grainId, state) = await WriteNewAsync(storage, "v1", 1);

        await storage.ClearStateAsync(StateName, grainId, state);

        Assert.False(state.RecordExists);
        var afterClear = await ReadAsync(storage, grainId);
        Assert.False(afterClear.RecordExists);

        // The ETag the clear left behind is the one to write with next.
        state.State = ContractState.Sample("v2", 2);
        await storage.WriteStateAsync(StateName, grainId, state);
        var read = await ReadAsync(storage, grainId);
        Assert.True(read.RecordExists);
        AssertSame(ContractState.Sample("v2", 2), read.State);

        // So is the ETag a read after the clear returns.
        var (other, written) = await WriteNewAsync(storage, "x", 3);
        await storage.ClearStateAsync(StateName, other, written);
        var reread = await ReadAsync(storage, other);
        reread.State = ContractState.Sample("y", 4);
        await storage.WriteStateAsync(StateName, other, reread);
        AssertSame(ContractState.Sample("y", 4), (await ReadAsync(storage, other)).State);
    }

    [SkippableFact]
    public async Task Clear_with_a_stale_etag_throws_and_keeps_the_state()
    {
        var storage = await GrainsAsync();
        var (grainId, current) = await WriteNewAsync(storage, "v1", 1);
        var stale = Copy(current);
        current.State = ContractState.Sample("v2", 2);
        await storage.WriteStateAsync(StateName, grainId, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, grainId, stale));

        var read = await ReadAsync(storage, grainId);
        Assert.True(read.RecordExists);
        AssertSame(ContractState.Sample("v2", 2), read.State);
    }

    [SkippableFact]
    public async Task Different_state_names_and_grain_ids_do_not_collide()
    {
        var storage = await GrainsAsync();
        var grainA = NewGrainId();
        var grainB = NewGrainId();
        await storage.WriteStateAsync("one", grainA, new GrainState<ContractState>(ContractState.Sample("a-one", 1)));
        await storage.WriteStateAsync("two", grainA, new GrainState<ContractState>(ContractState.Sample("a-two", 2)));
        await storage.WriteStateAsync("one", grainB, new GrainState<ContractState>(ContractState.Sample("b-one", 3)));

        AssertSame(ContractState.Sample("a-one", 1), (await ReadAsync(storage, grainA, "one")).State);
        AssertSame(ContractState.Sample("a-two", 2), (await ReadAsync(storage, grainA, "two")).State);
        AssertSame(ContractState.Sample("b-one", 3), (await ReadAsync(storage, grainB, "one")).State);
        Assert.False((await ReadAsync(storage, grainB, "two")).RecordExists);

        // Same key string, different grain type: only where the backend keys rows by grain type. The ADO.NET
        // provider keys by state name and key only, which is why every grain state name is unique (docs/storage.md).
        if (!Fixture.GrainTypeIsPartOfKey) return;
        var sameKeyOtherType = GrainId.Create("contract-other", grainA.Key.ToString()!);
        Assert.False((await ReadAsync(storage, sameKeyOtherType, "one")).RecordExists);
    }

    [SkippableFact]
    public async Task Different_providers_do_not_collide()
    {
        Skip.IfNot(Fixture.ProviderNameIsPartOfKey,
            "this backend's rows are keyed by service, state name and grain only, so providers sharing a database must use distinct state names");
        var grains = await GrainsAsync();
        var pubSub = await Fixture.GetStorageAsync(StorageNames.PubSub);
        var grainId = NewGrainId();

        await grains.WriteStateAsync(StateName, grainId, new GrainState<ContractState>(ContractState.Sample("grains", 1)));
        Assert.False((await ReadAsync(pubSub, grainId)).RecordExists);
        await pubSub.WriteStateAsync(StateName, grainId, new GrainState<ContractState>(ContractState.Sample("pubsub", 2)));

        AssertSame(ContractState.Sample("grains", 1), (await ReadAsync(grains, grainId)).State);
        AssertSame(ContractState.Sample("pubsub", 2), (await ReadAsync(pubSub, grainId)).State);
    }

    [SkippableFact]
    public async Task State_survives_a_host_restart()
    {
        var grainId = NewGrainId();
        var state = new GrainState<ContractState>(ContractState.Sample("durable", 42));
        await (await GrainsAsync()).WriteStateAsync(StateName, grainId, state);

        await Fixture.RestartAsync();

        var read = await ReadAsync(await GrainsAsync(), grainId);
        Assert.True(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        AssertSame(ContractState.Sample("durable", 42), read.State);
    }
}
