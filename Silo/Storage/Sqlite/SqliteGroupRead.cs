using System.Text.Json;

namespace CityArray.Silo.Storage.Sqlite;

/// <summary>
/// Group reads of grain state on one SQLite file: every read (a grain's states when it activates) is queued to one reader
/// loop, which takes what is queued (at most <see cref="MaxBatch"/> grains) and answers it with one query per storage
/// provider on its own connection, so a storm of activations (10,000 signs connecting at once, a full restart) costs
/// a handful of queries instead of one per grain (batching as in <see cref="SqliteBatchLoop{T}"/>). A query that fails
/// fails the reads it answers only. Reads see what committed before them (WAL); a grain's own activation read never
/// races its writes, since a grain writes only once it is active.
/// </summary>
public sealed class SqliteGroupRead : SqliteBatchLoop<SqliteGroupRead.SqliteRead>
{
    /// <summary>At most this many grains share one query.</summary>
    public const int MaxBatch = 256;

    private const string Query = """
        SELECT grain_id, state_name, etag, payload FROM grain_state
        WHERE provider = $provider
          AND state_name IN (SELECT value FROM json_each($states))
          AND grain_id IN (SELECT value FROM json_each($grains));
        """;

    private long queries;

    internal SqliteGroupRead(SqliteDatabase database) : base(database, MaxBatch) { }

    /// <summary>How many queries this reader ran (each answers one provider's reads of a batch).</summary>
    public long Queries => Interlocked.Read(ref queries);

    /// <summary>The stored rows of <paramref name="stateNames"/> of one grain (a state without a row is absent), read in the next batch.</summary>
    public Task<IReadOnlyDictionary<string, StoredState>> ReadAsync(string provider, string grainKey, IReadOnlyList<string> stateNames)
    {
        var read = new SqliteRead(provider, grainKey, stateNames);
        Enqueue(read);
        return read.Completion.Task;
    }

    /// <summary>One query per storage provider in the batch; a query that fails fails that provider's reads only.</summary>
    protected override async Task RunBatchAsync(List<SqliteRead> batch)
    {
        foreach (var group in batch.GroupBy(r => r.Provider, StringComparer.Ordinal))
        {
            var reads = group.ToList();
            try
            {
                await QueryAsync(group.Key, reads);
            }
            catch (Exception e)
            {
                foreach (var read in reads) Fail(read, e);
                await CloseConnectionAsync();
            }
        }
    }

    protected override void Fail(SqliteRead item, Exception error) => item.Completion.TrySetException(error);

    private async Task QueryAsync(string provider, List<SqliteRead> reads)
    {
        Connection ??= await Database.OpenForReadAsync();
        await using var command = Connection.CreateCommand();
        command.CommandText = Query;
        command.Parameters.AddWithValue("$provider", provider);
        command.Parameters.AddWithValue("$states", JsonSerializer.Serialize(reads.SelectMany(r => r.StateNames).Distinct(StringComparer.Ordinal).ToArray()));
        command.Parameters.AddWithValue("$grains", JsonSerializer.Serialize(reads.Select(r => r.GrainKey).Distinct(StringComparer.Ordinal).ToArray()));
        var rows = new Dictionary<string, Dictionary<string, StoredState>>(reads.Count, StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var grain = reader.GetString(0);
                if (!rows.TryGetValue(grain, out var states)) rows[grain] = states = new(StringComparer.Ordinal);
                states[reader.GetString(1)] = new StoredState(reader.GetString(2), (byte[])reader.GetValue(3));
            }
        }
        Interlocked.Increment(ref queries);
        StorageMetrics.Count("read_query");
        foreach (var read in reads)
        {
            var found = new Dictionary<string, StoredState>(read.StateNames.Count, StringComparer.Ordinal);
            if (rows.TryGetValue(read.GrainKey, out var states))
                foreach (var name in read.StateNames)
                    if (states.TryGetValue(name, out var row)) found[name] = row;
            read.Completion.TrySetResult(found);
        }
    }

    /// <summary>One queued read: a grain's states of one provider, answered with the rows found.</summary>
    public sealed class SqliteRead
    {
        internal SqliteRead(string provider, string grainKey, IReadOnlyList<string> stateNames) =>
            (Provider, GrainKey, StateNames) = (provider, grainKey, stateNames);

        internal string Provider { get; }
        internal string GrainKey { get; }
        internal IReadOnlyList<string> StateNames { get; }
        internal TaskCompletionSource<IReadOnlyDictionary<string, StoredState>> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>One stored grain state row: its ETag and serialized payload.</summary>
public sealed record StoredState(string Etag, byte[] Payload);
