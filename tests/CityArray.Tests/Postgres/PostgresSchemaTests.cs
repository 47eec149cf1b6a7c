using CityArray.Grains;
using CityArray.Silo.Hosting;
using CityArray.Silo.Storage.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Storage;

namespace CityArray.Tests.Postgres;

/// <summary>
/// The project's PostgreSQL schema against a real server: idempotent, holds every query the Orleans 10.4.2
/// ADO.NET providers read, and real silos run on it (membership, grain storage, reminders).
/// </summary>
public sealed class PostgresSchemaTests(PostgresTestDatabase db) : IClassFixture<PostgresTestDatabase>
{
    // The OrleansQuery keys the 10.4.2 providers look up (clustering, persistence, reminders).
    private static readonly string[] RequiredQueryKeys =
    [
        "UpdateIAmAlivetimeKey", "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key",
        "ReadRangeRows2Key", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    [SkippableFact]
    public async Task Applying_the_scripts_twice_and_concurrently_succeeds_and_registers_every_query()
    {
        Skip.If(db.ConnectionString is null, PostgresTestDatabase.SkipReason);

        await PostgresSchema.ApplyAsync(db.ConnectionString, CancellationToken.None);
        await PostgresSchema.ApplyAsync(db.ConnectionString, CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresSchema.ApplyAsync(db.ConnectionString, CancellationToken.None)));

        Assert.Equal(["01-main.sql", "02-clustering.sql", "03-persistence.sql", "04-reminders.sql"], PostgresSchema.ScriptNames);
        await using var connection = await db.OpenAsync();
        var keys = new List<string>();
        await using (var command = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery", connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) keys.Add(reader.GetString(0));
        Assert.Empty(RequiredQueryKeys.Except(keys));

        await using var schemas = new NpgsqlCommand(
            "SELECT DISTINCT table_schema FROM information_schema.tables WHERE table_name LIKE 'orleans%'", connection);
        Assert.Equal("public", (string?)await schemas.ExecuteScalarAsync());
    }

    [SkippableFact]
    public async Task Applying_to_an_unreachable_server_fails_with_a_clear_timeout()
    {
        Skip.If(db.ConnectionString is null, PostgresTestDatabase.SkipReason);
        var unreachable = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Port = FreePort.Find(), Timeout = 1 }.ConnectionString;

        var error = await Assert.ThrowsAsync<TimeoutException>(() => PostgresSchema.ApplyAsync(
            unreachable, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeSpan.FromSeconds(2), CancellationToken.None));
        Assert.Contains("not reachable", error.Message);
    }

    [SkippableFact]
    public async Task Silos_start_on_postgres_and_storage_and_reminders_work()
    {
        Skip.If(db.Url is null, PostgresTestDatabase.SkipReason);
        var clusterId = $"test-{Guid.NewGuid():N}";
        var before = DateTime.UtcNow;

        using var silo1 = await StartSiloAsync(db.Url, clusterId);
        using var silo2 = await StartSiloAsync(db.Url, clusterId);

        // Membership: both silos joined through the ADO.NET clustering tables, with correct UTC times.
        await using (var connection = await db.OpenAsync())
        await using (var command = new NpgsqlCommand(
            "SELECT count(*), min(StartTime), max(IAmAliveTime) FROM OrleansMembershipTable WHERE DeploymentId = @id AND Status = 3", connection))
        {
            command.Parameters.AddWithValue("id", clusterId);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(2, reader.GetInt64(0));
            AssertNear(before, reader.GetFieldValue<DateTime>(1), TimeSpan.FromMinutes(2));
            AssertNear(DateTime.UtcNow, reader.GetFieldValue<DateTime>(2), TimeSpan.FromMinutes(2));
        }

        await GrainStorageRoundTripAsync(silo1.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains),
            silo2.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains));
        await ReminderTableRoundTripAsync(silo1.Services.GetRequiredService<IReminderTable>());

        // A silo that stopped is Dead (6); defunct-silo cleanup deletes exactly its row (CleanupDefunctSiloEntryKey
        // matches the times it read back, so this also checks that times round-trip exactly).
        await silo2.StopAsync();
        Assert.Equal(1, await CountMembersAsync(clusterId, status: 6));
        await silo1.Services.GetRequiredService<IMembershipTable>().CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(0, await CountMembersAsync(clusterId, status: 6));
        Assert.Equal(1, await CountMembersAsync(clusterId, status: 3));

        await silo1.StopAsync();
    }

    private async Task<long> CountMembersAsync(string clusterId, int status)
    {
        await using var connection = await db.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = @id AND Status = @status", connection);
        command.Parameters.AddWithValue("id", clusterId);
        command.Parameters.AddWithValue("status", status);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task GrainStorageRoundTripAsync(IGrainStorage storage, IGrainStorage otherSilo)
    {
        var grainId = GrainId.Create("pgtest", Guid.NewGuid().ToString("N"));
        const string grainType = "PgTestGrain";

        // A system type: the JSON grain storage serializer only loads allow-listed types.
        var written = new GrainState<List<string>> { State = ["north", "1"] };
        await storage.WriteStateAsync(grainType, grainId, written);
        Assert.False(string.IsNullOrEmpty(written.ETag));
        Assert.True(written.RecordExists);

        var read = new GrainState<List<string>> { State = [] };
        await otherSilo.ReadStateAsync(grainType, grainId, read);
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(["north", "1"], read.State);

        read.State[1] = "2";
        await otherSilo.WriteStateAsync(grainType, grainId, read);
        Assert.NotEqual(written.ETag, read.ETag);

        // The first copy's ETag is stale now: its write must be refused.
        written.State[1] = "99";
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(grainType, grainId, written));

        // A second "first write" of the same grain must be refused too (one row per grain state).
        var duplicate = new GrainState<List<string>> { State = ["dup"] };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(grainType, grainId, duplicate));

        await otherSilo.ClearStateAsync(grainType, grainId, read);
        var cleared = new GrainState<List<string>> { State = [] };
        await storage.ReadStateAsync(grainType, grainId, cleared);
        Assert.False(cleared.RecordExists);
    }

    private static async Task ReminderTableRoundTripAsync(IReminderTable reminders)
    {
        var grainId = GrainId.Create("pgtest", Guid.NewGuid().ToString("N"));
        var startAt = DateTime.UtcNow.AddMinutes(5);
        startAt = new DateTime(startAt.Ticks - startAt.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

        var etag1 = await reminders.UpsertRow(new ReminderEntry { GrainId = grainId, ReminderName = "tick", StartAt = startAt, Period = TimeSpan.FromMinutes(1) });
        var etag2 = await reminders.UpsertRow(new ReminderEntry { GrainId = grainId, ReminderName = "tick", StartAt = startAt, Period = TimeSpan.FromMinutes(2) });
        Assert.NotNull(etag1);
        Assert.NotEqual(etag1, etag2);

        var row = await reminders.ReadRow(grainId, "tick");
        Assert.NotNull(row);
        Assert.Equal(grainId, row.GrainId);
        Assert.Equal(TimeSpan.FromMinutes(2), row.Period);
        Assert.Equal(etag2, row.ETag);
        Assert.Equal(startAt, row.StartAt.ToUniversalTime());

        var byGrain = await reminders.ReadRows(grainId);
        Assert.Single(byGrain.Reminders);
        var all = await reminders.ReadRows(0, 0); // begin == end: the whole ring
        Assert.Contains(all.Reminders, r => r.GrainId == grainId);

        Assert.False(await reminders.RemoveRow(grainId, "tick", etag1!));
        Assert.True(await reminders.RemoveRow(grainId, "tick", etag2!));
        Assert.Null(await reminders.ReadRow(grainId, "tick"));
    }

    private static async Task<IHost> StartSiloAsync(string url, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = url,
            ["ORLEANS_SILO_PORT"] = FreePort.Find().ToString(),
            ["ORLEANS_GATEWAY_PORT"] = FreePort.Find().ToString(),
            ["ORLEANS_CLUSTER_ID"] = clusterId,
            ["ORLEANS_SERVICE_ID"] = clusterId,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var config = builder.Configuration;
        builder.UseOrleans(s => s.UseCityArray(CityArraySettings.From(config), config));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await host.StartAsync(timeout.Token);
        return host;
    }

    private static void AssertNear(DateTime expected, DateTime actual, TimeSpan tolerance) =>
        Assert.True((actual.ToUniversalTime() - expected).Duration() < tolerance, $"expected about {expected:O} (UTC), got {actual.ToUniversalTime():O}");
}
