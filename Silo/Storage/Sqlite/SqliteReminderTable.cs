using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace CityArray.Silo.Storage.Sqlite;

/// <summary>Orleans reminders in a SQLite table, keyed by (service id, grain, reminder name) and indexed by the grain's ring hash.</summary>
public sealed class SqliteReminderTable : IReminderTable
{
    private const string Columns = "grain_id, reminder_name, start_at_ticks, period_ticks, etag";

    private readonly SqliteDatabase database;
    private readonly string serviceId;
    private readonly ILogger<SqliteReminderTable> logger;

    public SqliteReminderTable(SqliteDatabase database, IOptions<ClusterOptions> clusterOptions, ILogger<SqliteReminderTable> logger)
    {
        this.database = database;
        this.logger = logger;
        serviceId = clusterOptions.Value.ServiceId;
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await database.EnsureSchemaAsync(cancellationToken);
        logger.LogInformation("SQLite reminder table ready at {Path} for service {ServiceId}", database.Path, serviceId);
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken)
    {
        StorageMetrics.Count("reminder_read");
        return QueryAsync($"SELECT {Columns} FROM reminders WHERE service_id = $service AND grain_id = $grain;",
            command => command.Parameters.AddWithValue("$grain", grainId.ToString()), cancellationToken);
    }

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => ReadRows(begin, end, CancellationToken.None);

    /// <summary>Rows whose grain hash is in the ring range (begin, end]; when begin is not below end the range wraps past zero.</summary>
    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken)
    {
        StorageMetrics.Count("reminder_read");
        var range = begin < end
            ? "grain_hash > $begin AND grain_hash <= $end"
            : "(grain_hash > $begin OR grain_hash <= $end)";
        return QueryAsync($"SELECT {Columns} FROM reminders WHERE service_id = $service AND {range};",
            command =>
            {
                command.Parameters.AddWithValue("$begin", (long)begin);
                command.Parameters.AddWithValue("$end", (long)end);
            },
            cancellationToken);
    }

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => ReadRow(grainId, reminderName, CancellationToken.None);

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        StorageMetrics.Count("reminder_read");
        var rows = await QueryAsync($"SELECT {Columns} FROM reminders WHERE service_id = $service AND grain_id = $grain AND reminder_name = $name;",
            command =>
            {
                command.Parameters.AddWithValue("$grain", grainId.ToString());
                command.Parameters.AddWithValue("$name", reminderName);
            },
            cancellationToken);
        return rows.Reminders.FirstOrDefault();
    }

    public Task<string?> UpsertRow(ReminderEntry entry) => UpsertRow(entry, CancellationToken.None);

    /// <summary>Inserts or replaces the reminder and returns its new ETag (an upsert does not check the old one, as in Orleans' own tables).</summary>
    public async Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        StorageMetrics.Count("reminder_write");
        var etag = Guid.NewGuid().ToString("N");
        // Through the file's group commit: a storm of first connects registers its reminders in shared commits.
        await database.Writes.RunAsync(transaction =>
        {
            using var command = Command(transaction);
            command.CommandText = """
                INSERT INTO reminders (service_id, grain_id, reminder_name, grain_hash, start_at_ticks, period_ticks, etag)
                VALUES ($service, $grain, $name, $hash, $start, $period, $etag)
                ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE SET
                    grain_hash = excluded.grain_hash,
                    start_at_ticks = excluded.start_at_ticks,
                    period_ticks = excluded.period_ticks,
                    etag = excluded.etag;
                """;
            command.Parameters.AddWithValue("$grain", entry.GrainId.ToString());
            command.Parameters.AddWithValue("$name", entry.ReminderName);
            command.Parameters.AddWithValue("$hash", (long)entry.GrainId.GetUniformHashCode());
            command.Parameters.AddWithValue("$start", ToUtc(entry.StartAt).Ticks);
            command.Parameters.AddWithValue("$period", entry.Period.Ticks);
            command.Parameters.AddWithValue("$etag", etag);
            return command.ExecuteNonQuery();
        });
        entry.ETag = etag;
        return etag;
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => RemoveRow(grainId, reminderName, eTag, CancellationToken.None);

    /// <summary>Deletes the reminder only when its stored ETag still equals <paramref name="eTag"/>.</summary>
    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken)
    {
        StorageMetrics.Count("reminder_write");
        return await database.Writes.RunAsync(transaction =>
        {
            using var command = Command(transaction);
            command.CommandText = "DELETE FROM reminders WHERE service_id = $service AND grain_id = $grain AND reminder_name = $name AND etag = $etag;";
            command.Parameters.AddWithValue("$grain", grainId.ToString());
            command.Parameters.AddWithValue("$name", reminderName);
            command.Parameters.AddWithValue("$etag", eTag);
            return command.ExecuteNonQuery() == 1;
        });
    }

    public Task TestOnlyClearTable() => TestOnlyClearTable(CancellationToken.None);

    public async Task TestOnlyClearTable(CancellationToken cancellationToken)
    {
        await database.Writes.RunAsync(transaction =>
        {
            using var command = Command(transaction);
            command.CommandText = "DELETE FROM reminders WHERE service_id = $service;";
            return command.ExecuteNonQuery();
        });
    }

    private SqliteCommand Command(SqliteTransaction transaction)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$service", serviceId);
        return command;
    }

    private async Task<ReminderTableData> QueryAsync(string sql, Action<SqliteCommand> addParameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$service", serviceId);
        addParameters(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<ReminderEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0)),
                ReminderName = reader.GetString(1),
                StartAt = new DateTime(reader.GetInt64(2), DateTimeKind.Utc),
                Period = TimeSpan.FromTicks(reader.GetInt64(3)),
                ETag = reader.GetString(4),
            });
        }
        return new ReminderTableData(entries);
    }

    private static DateTime ToUtc(DateTime time) =>
        time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time;
}
