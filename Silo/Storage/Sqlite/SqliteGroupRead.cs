using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace CityArray.Silo.Storage.Sqlite;

/// <summary>
/// Group reads of grain state on one SQLite file: every read (a grain's states when it activates) is queued to one reader
/// loop, which takes what is queued (at most <see cref="MaxBatch"/> grains) and answers it with one query per storage
/// provider on its own connection, so a storm of activations (10,000 signs connecting at once, a full restart) costs
/// a handful of queries instead of one per grain. As with <see cref="SqliteGroupCommit"/> there is no waiting to fill a
/// batch: a lone read runs at once, and reads that arrive meanwhile share the next query. A query that fails fails the
/// reads of its batch only (the next batch opens a fresh connection). Reads see what committed before them (WAL); a
/// grain's own activation read never races its writes, since a grain writes only once it is active.
/// </summary>
public sealed class SqliteGroupRead : IAsyncDisposable
{
    /// <summary>At most this many grains share one query.</summary>
    public const int MaxBatch = 256;

    private const string Query = """
        SELECT grain_id, state_name, etag, payload FROM grain_state
        WHERE provider = $provider
          AND state_name IN (SELECT value FROM json_each($states))
          AND grain_id IN (SELECT value FROM json_each($grains));
        """;

    private readonly SqliteDatabase database;
    private readonly Channel<SqliteRead> queue = Channel.CreateUnbounded<SqliteRead>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task loop;
    private SqliteConnection? connection;
    private long queries;

    internal SqliteGroupRead(SqliteDatabase database)
    {
        this.database = database;
        loop = Task.Run(RunAsync);
    }

    /// <summary>How many queries this reader ran (each answers one provider's reads of a batch).</summary>
    public long Queries => Interlocked.Read(ref queries);

    /// <summary>The stored rows of <paramref name="stateNames"/> of one grain (a state without a row is absent), read in the next batch.</summary>
    public Task<IReadOnlyDictionary<string, StoredState>> ReadAsync(string provider, string grainKey, IReadOnlyList<string> stateNames)
    {
        var read = new SqliteRead(provider, grainKey, stateNames);
        if (!queue.Writer.TryWrite(read)) throw new ObjectDisposedException(nameof(SqliteGroupRead), $"SQLite file {database.Path} is closed");
        return read.Completion.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<SqliteRead>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var read)) batch.Add(read);
            foreach (var group in batch.GroupBy(r => r.Provider, StringComparer.Ordinal))
            {
                var reads = group.ToList();
                try
                {
                    await QueryAsync(group.Key, reads);
                }
                catch (Exception e)
                {
                    // Never leave a caller waiting, nor the loop dead: later reads must still run.
                    foreach (var read in reads) read.Completion.TrySetException(e);
                    await CloseAsync();
                }
            }
        }
    }

    private async Task QueryAsync(string provider, List<SqliteRead> reads)
    {
        connection ??= await database.OpenForReadAsync();
        await using var command = connection.CreateCommand();
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

    private async Task CloseAsync()
    {
        if (connection is null) return;
        try { await connection.DisposeAsync(); } catch (SqliteException) { }
        connection = null;
    }

    /// <summary>Stops taking reads, answers what is queued, closes the reader's connection.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
        await CloseAsync();
    }

    private sealed record SqliteRead(string Provider, string GrainKey, IReadOnlyList<string> StateNames)
    {
        public TaskCompletionSource<IReadOnlyDictionary<string, StoredState>> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>One stored grain state row: its ETag and serialized payload.</summary>
public sealed record StoredState(string Etag, byte[] Payload);
