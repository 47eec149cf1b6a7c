using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using CityArray.Grains;
using Orleans.Storage;

namespace CityArray.Silo.Storage.Sqlite;

/// <summary>
/// Grain state in a SQLite table, one row per (provider, state name, grain), guarded by an ETag. Reads go through the
/// file's group reader (<see cref="SqliteGroupRead"/>: the states of one grain, and of the grains activating beside it, in
/// one query); writes and clears through its group commit (<see cref="SqliteGroupCommit"/>).
/// </summary>
public sealed class SqliteGrainStorage : IGrainStorage, IGrainStatesReader, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly string name;
    private readonly SqliteDatabase database;
    private readonly IGrainStorageSerializer serializer;
    private readonly ILogger<SqliteGrainStorage> logger;

    public SqliteGrainStorage(string name, SqliteGrainStorageOptions options, SqliteDatabase database, ILogger<SqliteGrainStorage> logger)
    {
        this.name = name;
        this.logger = logger;
        this.database = database;
        serializer = options.GrainStorageSerializer
            ?? throw new InvalidOperationException($"SQLite grain storage '{name}' has no grain storage serializer");
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        StorageMetrics.Count("read");
        var rows = await database.Reads.ReadAsync(name, grainId.ToString(), [stateName]);
        if (!rows.TryGetValue(stateName, out var row))
        {
            grainState.State = CreateDefault<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        grainState.State = Deserialize<T>(row.Payload, stateName, grainId);
        grainState.ETag = row.Etag;
        grainState.RecordExists = true;
    }

    public async Task ReadStatesAsync(GrainId grainId, IReadOnlyList<IReadableState> states)
    {
        StorageMetrics.Count("read");
        var rows = await database.Reads.ReadAsync(name, grainId.ToString(), states.Select(s => s.StateName).ToArray());
        foreach (var state in states)
        {
            if (!rows.TryGetValue(state.StateName, out var row))
            {
                state.Load(serializer, null, null);
                continue;
            }
            try
            {
                state.Load(serializer, new BinaryData(row.Payload), row.Etag);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"Cannot deserialize state '{state.StateName}' of {grainId} from storage '{name}'", ex);
            }
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        StorageMetrics.Count("write");
        // Serialized here, on the caller's turn: the state may change again once the caller moves on.
        var payload = serializer.Serialize(grainState.State).ToArray();
        var key = grainId.ToString();
        var (oldEtag, oldExists) = (grainState.ETag, grainState.RecordExists);
        await database.Writes.RunAsync(transaction =>
        {
            // The ETag is read when the write runs: a second write of the same state queued in the same batch chains on the first.
            var expected = grainState.ETag;
            var newEtag = NewEtag();
            using var command = Command(transaction, stateName, key);
            command.CommandText = expected is null
                ? "INSERT INTO grain_state (provider, state_name, grain_id, etag, payload, updated_at) VALUES ($provider, $state, $grain, $etag, $payload, $now) ON CONFLICT DO NOTHING;"
                : "UPDATE grain_state SET etag = $etag, payload = $payload, updated_at = $now WHERE provider = $provider AND state_name = $state AND grain_id = $grain AND etag = $old;";
            command.Parameters.AddWithValue("$etag", newEtag);
            command.Parameters.Add("$payload", SqliteType.Blob).Value = payload;
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O"));
            if (expected is not null) command.Parameters.AddWithValue("$old", expected);
            if (command.ExecuteNonQuery() != 1)
                throw Inconsistent("write", stateName, grainId, StoredEtag(transaction, stateName, key), expected);
            grainState.ETag = newEtag;
            grainState.RecordExists = true;
            return true;
        }, undo: () => (grainState.ETag, grainState.RecordExists) = (oldEtag, oldExists));
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        StorageMetrics.Count("clear");
        var key = grainId.ToString();
        var (oldEtag, oldExists) = (grainState.ETag, grainState.RecordExists);
        await database.Writes.RunAsync(transaction =>
        {
            var expected = grainState.ETag;
            var stored = StoredEtag(transaction, stateName, key);
            if (!string.Equals(stored, expected, StringComparison.Ordinal))
                throw Inconsistent("clear", stateName, grainId, stored, expected);
            if (stored is not null)
            {
                using var command = Command(transaction, stateName, key);
                command.CommandText = "DELETE FROM grain_state WHERE provider = $provider AND state_name = $state AND grain_id = $grain AND etag = $old;";
                command.Parameters.AddWithValue("$old", stored);
                if (command.ExecuteNonQuery() != 1) throw Inconsistent("clear", stateName, grainId, stored, expected);
            }
            // The row is gone: the next write is a first write again and must carry no ETag.
            grainState.ETag = null;
            grainState.RecordExists = false;
            return true;
        }, undo: () => (grainState.ETag, grainState.RecordExists) = (oldEtag, oldExists));
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(SqliteGrainStorage)}-{name}", ServiceLifecycleStage.ApplicationServices,
            async ct =>
            {
                await database.EnsureSchemaAsync(ct);
                logger.LogInformation("SQLite grain storage '{Name}' ready at {Path}", name, database.Path);
            });

    private SqliteCommand Command(SqliteTransaction transaction, string stateName, string grainKey)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$provider", name);
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", grainKey);
        return command;
    }

    private string? StoredEtag(SqliteTransaction transaction, string stateName, string grainKey)
    {
        using var command = Command(transaction, stateName, grainKey);
        command.CommandText = "SELECT etag FROM grain_state WHERE provider = $provider AND state_name = $state AND grain_id = $grain;";
        return command.ExecuteScalar() as string;
    }

    private InconsistentStateException Inconsistent(string operation, string stateName, GrainId grainId, string? stored, string? expected)
    {
        logger.LogWarning("SQLite grain storage '{Name}': {Operation} of {StateName} for {GrainId} rejected, stored ETag {Stored}, given {Given}",
            name, operation, stateName, grainId, stored ?? "(none)", expected ?? "(none)");
        return new InconsistentStateException(
            $"ETag mismatch on {operation} of state '{stateName}' of {grainId} in storage '{name}'",
            stored ?? "(none)", expected ?? "(none)");
    }

    private T Deserialize<T>(byte[] payload, string stateName, GrainId grainId)
    {
        try
        {
            return serializer.Deserialize<T>(new BinaryData(payload)) ?? CreateDefault<T>();
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                $"Cannot deserialize state '{stateName}' of {grainId} from storage '{name}' as {typeof(T).Name}", ex);
        }
    }

    private static T CreateDefault<T>() =>
        typeof(T).IsValueType || typeof(T).GetConstructor(Type.EmptyTypes) is not null
            ? Activator.CreateInstance<T>()
            : default!;

    private static string NewEtag() => Guid.NewGuid().ToString("N");
}
