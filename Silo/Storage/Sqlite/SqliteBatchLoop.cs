using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace CityArray.Silo.Storage.Sqlite;

/// <summary>
/// One loop per SQLite file that takes what callers queued (at most <c>maxBatch</c> items) and handles it together on
/// its own connection: the shape of <see cref="SqliteGroupCommit"/> and <see cref="SqliteGroupRead"/>. There is no
/// waiting to fill a batch: a lone item runs at once, and items queued while a batch runs share the next one. A batch
/// that throws fails each of its items still waiting, closes the connection (the next batch opens a fresh one) and
/// leaves the loop running. Disposing stops taking items, runs what is queued, and closes the connection.
/// </summary>
public abstract class SqliteBatchLoop<T> : IAsyncDisposable where T : class
{
    private readonly Channel<T> queue = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int maxBatch;
    private readonly Task loop;

    protected SqliteBatchLoop(SqliteDatabase database, int maxBatch)
    {
        Database = database;
        this.maxBatch = maxBatch;
        loop = Task.Run(RunAsync);
    }

    protected SqliteDatabase Database { get; }

    /// <summary>The loop's own connection, opened by the batch that first needs it.</summary>
    protected SqliteConnection? Connection { get; set; }

    /// <summary>Queues <paramref name="item"/> for the next batch; throws once the file is closed.</summary>
    protected void Enqueue(T item)
    {
        if (!queue.Writer.TryWrite(item)) throw new ObjectDisposedException(GetType().Name, $"SQLite file {Database.Path} is closed");
    }

    /// <summary>Handles one batch, in the order queued; on the loop, never concurrently with another batch.</summary>
    protected abstract Task RunBatchAsync(List<T> batch);

    /// <summary>Fails one item of a batch that threw (a no-op for an item already answered).</summary>
    protected abstract void Fail(T item, Exception error);

    private async Task RunAsync()
    {
        var batch = new List<T>(maxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < maxBatch && queue.Reader.TryRead(out var item)) batch.Add(item);
            if (batch.Count == 0) continue;
            try
            {
                await RunBatchAsync(batch);
            }
            catch (Exception e)
            {
                // Never leave a caller waiting, nor the loop dead: later items must still run.
                foreach (var item in batch) Fail(item, e);
                await CloseConnectionAsync();
            }
        }
    }

    /// <summary>Closes the loop's connection (a broken one: I/O error, file gone); the next batch opens a fresh one.</summary>
    protected async Task CloseConnectionAsync()
    {
        if (Connection is null) return;
        try { await Connection.DisposeAsync(); } catch (SqliteException) { }
        Connection = null;
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
        await CloseConnectionAsync();
    }
}
