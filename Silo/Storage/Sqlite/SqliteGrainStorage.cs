using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace CityArray.Silo.Storage.Sqlite;

/// <summary>Grain state in a SQLite table, one row per (provider, state name, grain), guarded by an ETag.</summary>
public sealed class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly string name;
    private readonly SqliteDatabase database;
    private readonly IGrainStorageSerializer serializer;
    private readonly ILogger<SqliteGrainStorage> logger;

    public SqliteGrainStorage(string name, SqliteGrainStorageOptions options, ILogger<SqliteGrainStorage> logger)
    {
        this.name = name;
        this.logger = logger;
        database = new SqliteDatabase(options.DatabasePath);
        serializer = options.GrainStorageSerializer
            ?? throw new InvalidOperationException($"SQLite grain storage '{name}' has no grain storage serializer");
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        StorageMetrics.Count("read");
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag, payload FROM grain_state WHERE provider = $provider AND state_name = $state AND grain_id = $grain;";
        AddKey(command, stateName, grainId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            grainState.State = CreateDefault<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        var etag = reader.GetString(0);
        var payload = (byte[])reader.GetValue(1);
        grainState.State = Deserialize<T>(payload, stateName, grainId);
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        StorageMetrics.Count("write");
        var payload = serializer.Serialize(grainState.State).ToArray();
        var newEtag = NewEtag();
        await using var connection = await database.OpenAsync();
        // BEGIN IMMEDIATE takes the write lock up front, so the ETag check and the write are one step.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var stored = await ReadEtagAsync(connection, transaction, stateName, grainId);
        ThrowIfMismatch("write", stateName, grainId, stored, grainState.ETag);

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = stored is null
            ? "INSERT INTO grain_state (provider, state_name, grain_id, etag, payload, updated_at) VALUES ($provider, $state, $grain, $etag, $payload, $now);"
            : "UPDATE grain_state SET etag = $etag, payload = $payload, updated_at = $now WHERE provider = $provider AND state_name = $state AND grain_id = $grain AND etag = $old;";
        AddKey(command, stateName, grainId);
        command.Parameters.AddWithValue("$etag", newEtag);
        command.Parameters.Add("$payload", SqliteType.Blob).Value = payload;
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O"));
        if (stored is not null) command.Parameters.AddWithValue("$old", stored);
        if (await command.ExecuteNonQueryAsync() != 1)
            throw Inconsistent("write", stateName, grainId, stored, grainState.ETag);
        await transaction.CommitAsync();

        grainState.ETag = newEtag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        StorageMetrics.Count("clear");
        await using var connection = await database.OpenAsync();
        await using var transaction = connection.BeginTransaction(deferred: false);
        var stored = await ReadEtagAsync(connection, transaction, stateName, grainId);
        ThrowIfMismatch("clear", stateName, grainId, stored, grainState.ETag);
        if (stored is not null)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM grain_state WHERE provider = $provider AND state_name = $state AND grain_id = $grain AND etag = $old;";
            AddKey(command, stateName, grainId);
            command.Parameters.AddWithValue("$old", stored);
            if (await command.ExecuteNonQueryAsync() != 1)
                throw Inconsistent("clear", stateName, grainId, stored, grainState.ETag);
        }
        await transaction.CommitAsync();

        // The row is gone: the next write is a first write again and must carry no ETag.
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(SqliteGrainStorage)}-{name}", ServiceLifecycleStage.ApplicationServices,
            async ct =>
            {
                await database.EnsureSchemaAsync(ct);
                logger.LogInformation("SQLite grain storage '{Name}' ready at {Path}", name, database.Path);
            });

    private async Task<string?> ReadEtagAsync(SqliteConnection connection, SqliteTransaction transaction, string stateName, GrainId grainId)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT etag FROM grain_state WHERE provider = $provider AND state_name = $state AND grain_id = $grain;";
        AddKey(command, stateName, grainId);
        return await command.ExecuteScalarAsync() as string;
    }

    private void ThrowIfMismatch(string operation, string stateName, GrainId grainId, string? stored, string? expected)
    {
        if (!string.Equals(stored, expected, StringComparison.Ordinal))
            throw Inconsistent(operation, stateName, grainId, stored, expected);
    }

    private InconsistentStateException Inconsistent(string operation, string stateName, GrainId grainId, string? stored, string? expected)
    {
        logger.LogWarning("SQLite grain storage '{Name}': {Operation} of {StateName} for {GrainId} rejected, stored ETag {Stored}, given {Given}",
            name, operation, stateName, grainId, stored ?? "(none)", expected ?? "(none)");
        return new InconsistentStateException(
            $"ETag mismatch on {operation} of state '{stateName}' of {grainId} in storage '{name}'",
            stored ?? "(none)", expected ?? "(none)");
    }

    private void AddKey(SqliteCommand command, string stateName, GrainId grainId)
    {
        command.Parameters.AddWithValue("$provider", name);
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", grainId.ToString());
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
