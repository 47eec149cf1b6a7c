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
