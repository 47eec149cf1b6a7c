using Microsoft.Data.Sqlite;

namespace CityArray.Silo.Storage.Sqlite;

/// <summary>
/// Group commit on one SQLite file: every write (grain state, reminders) is queued to one writer loop, which takes what
/// is queued (at most <see cref="MaxBatch"/>) and runs it on its own connection in ONE transaction, so a thousand
/// concurrent writers cost a handful of commits instead of a thousand, and never fight over SQLite's single write lock.
/// <list type="bullet">
/// <item>Each write runs its own statements and checks (an ETag) inside the batch: a write that throws while the
/// transaction is still open fails only its own caller; the others commit.</item>
/// <item>A batch whose BEGIN or COMMIT fails (or whose transaction SQLite rolled back on an error) fails every caller of
/// that batch, and nothing of it is stored.</item>
/// <item>A caller's task completes only after the COMMIT returned: what it wrote is as durable as the file's
/// <c>synchronous</c> setting makes a commit (see docs/storage.md).</item>
/// </list>
/// There is no waiting to fill a batch (<see cref="SqliteBatchLoop{T}"/>): while one batch commits, the next one queues,
/// so a lone write commits at once and a storm of writes shares commits.
/// </summary>
public sealed class SqliteGroupCommit : SqliteBatchLoop<SqliteGroupCommit.SqliteWrite>
{
    /// <summary>At most this many writes share one transaction (bounds the time the write lock is held and a failure's reach).</summary>
    public const int MaxBatch = 256;

    private long commits;

    internal SqliteGroupCommit(SqliteDatabase database) : base(database, MaxBatch) { }

    /// <summary>How many transactions this writer committed (each carries one batch).</summary>
    public long Commits => Interlocked.Read(ref commits);

    /// <summary>
    /// Queues <paramref name="execute"/> to run inside the next batch's transaction and completes when that transaction
    /// committed (with what <paramref name="execute"/> returned) or failed. <paramref name="execute"/> runs on the writer
    /// loop, never concurrently with another write, in a savepoint: it throws to fail (and roll back) this write only; it
    /// must not commit or roll back the transaction itself. <paramref name="undo"/> (optional)
    /// runs when the write does not commit, after <paramref name="execute"/> may have run: it restores what execute
    /// changed in memory.
    /// </summary>
    public Task<T> RunAsync<T>(Func<SqliteTransaction, T> execute, Action? undo = null)
    {
        var write = new SqliteWrite<T>(execute, undo);
        Enqueue(write);
        return write.Completion.Task;
    }

    protected override void Fail(SqliteWrite item, Exception error) => item.Fail(error);

    protected override async Task RunBatchAsync(List<SqliteWrite> batch)
    {
        var done = new bool[batch.Count];
        SqliteTransaction? transaction = null;
        try
        {
            Connection ??= await Database.OpenAsync();
            var connection = Connection;
            // BEGIN IMMEDIATE takes the write lock up front, so every check in the batch sees what it then writes over.
            transaction = connection.BeginTransaction(deferred: false);
            using var savepoint = connection.CreateCommand();
            savepoint.Transaction = transaction;
            for (var i = 0; i < batch.Count; i++)
            {
                // Each write in its own savepoint, so a write that fails halfway leaves nothing behind in the batch.
                Execute(savepoint, "SAVEPOINT w;");
                try
                {
                    batch[i].Execute(transaction);
                }
                catch (Exception e) when (InTransaction(connection))
                {
                    // The write failed but the transaction is intact: only this write fails.
                    Execute(savepoint, "ROLLBACK TO w;");
                    done[i] = true;
                    batch[i].Fail(e);
                }
                Execute(savepoint, "RELEASE w;");
            }
            transaction.Commit();
            Interlocked.Increment(ref commits);
            StorageMetrics.Commit(batch.Count);
        }
        catch (Exception e)
        {
            // Nothing of the batch is stored (SQLite rolled it back, or the rollback below does): every caller left fails.
            if (transaction is not null && Connection is { } open && InTransaction(open))
            {
                try { transaction.Rollback(); } catch (SqliteException) { }
            }
            for (var i = 0; i < batch.Count; i++)
                if (!done[i]) { done[i] = true; batch[i].Fail(e); }
            // The connection may be broken (I/O error, file gone): open a fresh one for the next batch.
            try { transaction?.Dispose(); } catch (SqliteException) { } catch (InvalidOperationException) { }
            await CloseConnectionAsync();
            return;
        }
        transaction.Dispose();
        for (var i = 0; i < batch.Count; i++)
            if (!done[i]) batch[i].Succeed();
    }

    private static void Execute(SqliteCommand command, string sql)
    {
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static bool InTransaction(SqliteConnection connection) =>
        SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0;

    /// <summary>One queued write: its statements, run inside a batch's transaction, and its caller's completion.</summary>
    public abstract class SqliteWrite
    {
        private protected SqliteWrite() { }
        internal abstract void Execute(SqliteTransaction transaction);
        internal abstract void Succeed();
        internal abstract void Fail(Exception e);
    }

    private sealed class SqliteWrite<T>(Func<SqliteTransaction, T> execute, Action? undo) : SqliteWrite
    {
        private T result = default!;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal override void Execute(SqliteTransaction transaction) => result = execute(transaction);

        internal override void Succeed() => Completion.TrySetResult(result);

        internal override void Fail(Exception e)
        {
            if (Completion.Task.IsCompleted) return;
            try { undo?.Invoke(); }
            finally { Completion.TrySetException(e); }
        }
    }
}
