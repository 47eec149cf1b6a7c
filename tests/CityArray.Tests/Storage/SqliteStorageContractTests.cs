using CityArray.Grains;
using CityArray.Silo.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace CityArray.Tests.Storage;

/// <summary>The storage contract on the embedded SQLite provider, plus checks of how the silo wires it.</summary>
public sealed class SqliteStorageContractTests(SqliteStorageFixture fixture)
    : StorageContractTests<SqliteStorageFixture>(fixture)
{
    [Fact]
    public async Task The_silo_registers_the_sqlite_providers()
    {
        var services = (await Fixture.GetHostAsync()).Services;

        Assert.IsType<SqliteGrainStorage>(services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains));
        Assert.IsType<SqliteGrainStorage>(services.GetRequiredKeyedService<IGrainStorage>(StorageNames.PubSub));
        Assert.IsType<SqliteReminderTable>(services.GetRequiredService<IReminderTable>());
    }

    [Fact]
    public async Task Several_states_of_a_grain_read_in_one_query_are_what_each_read_alone_gives_and_take_the_next_write()
    {
        var storage = await GrainsAsync();
        var (grainId, written) = await WriteNewAsync(storage, "first", 1);
        var other = new GrainState<ContractState>(ContractState.Sample("other", 2));
        await storage.WriteStateAsync("contract-other", grainId, other);
        await storage.WriteStateAsync(StateName, NewGrainId(), new GrainState<ContractState>(ContractState.Sample("another grain", 3)));
        var reader = Assert.IsAssignableFrom<IGrainStatesReader>(storage);
        ContractRead[] reads = [new(StateName), new("contract-missing"), new("contract-other")];

        await reader.ReadStatesAsync(grainId, reads);

        var alone = await ReadAsync(storage, grainId);
        Assert.True(reads[0].RecordExists);
        Assert.Equal(alone.ETag, reads[0].ETag);
        AssertSame(written.State, reads[0].State!);
        Assert.False(reads[1].RecordExists);
        Assert.Null(reads[1].ETag);
        Assert.Null(reads[1].State);
        Assert.Equal(other.ETag, reads[2].ETag);
        AssertSame(other.State, reads[2].State!);
        // The ETag read together is the one the next write must carry.
        await storage.WriteStateAsync(StateName, grainId, new GrainState<ContractState>(ContractState.Sample("second", 4), reads[0].ETag));
        Assert.Equal("second", (await ReadAsync(storage, grainId)).State!.Name);
    }

    /// <summary>One state filled by <see cref="IGrainStatesReader.ReadStatesAsync"/>.</summary>
    private sealed class ContractRead(string stateName) : IReadableState
    {
        public string StateName => stateName;
        public ContractState? State { get; private set; }
        public string? ETag { get; private set; }
        public bool RecordExists { get; private set; }

        public void Load(IGrainStorageSerializer serializer, BinaryData? payload, string? etag) =>
            (State, ETag, RecordExists) = (payload is null ? null : serializer.Deserialize<ContractState>(payload), etag, payload is not null);
    }

    [Fact]
    public async Task The_database_file_is_created_in_wal_mode_with_both_tables()
    {
        await Fixture.GetHostAsync();

        Assert.True(File.Exists(Fixture.DatabasePath));
        await using var connection = new SqliteConnection($"Data Source={Fixture.DatabasePath};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        command.CommandText = "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name);";
        Assert.Equal("grain_state,reminders", (string?)await command.ExecuteScalarAsync());
    }
}
