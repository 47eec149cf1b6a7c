using System.Diagnostics.Metrics;

namespace CityArray.Silo.Storage;

/// <summary>
/// Counters of the project's own storage (SQLite grain storage and reminder table): one per operation, on the
/// <c>CityArray</c> meter, so <c>/metrics</c> shows <c>cityarray_storage_operations_total{provider,op}</c> (the reconnect
/// storm benchmark reads it to report the database load a restart causes).
/// </summary>
public static class StorageMetrics
{
    private static readonly Meter Meter = new("CityArray", "1.0");

    private static readonly Counter<long> Operations = Meter.CreateCounter<long>("cityarray.storage.operations", "{operation}",
        "Storage operations by provider (sqlite) and op (read, write, clear, reminder_read, reminder_write, commit = one group-commit transaction, read_query = one group-read query)");

    private static readonly Histogram<int> BatchSizes = Meter.CreateHistogram<int>("cityarray.storage.batch_size", "{write}",
        "Writes committed together in one SQLite transaction (group commit)");

    /// <summary>One committed SQLite transaction carrying <paramref name="writes"/> writes: op <c>commit</c> and the batch size histogram.</summary>
    public static void Commit(int writes)
    {
        Count("commit");
        BatchSizes.Record(writes, new KeyValuePair<string, object?>("provider", "sqlite"));
    }

    public static void Count(string op) => Operations.Add(1, new KeyValuePair<string, object?>("provider", "sqlite"), new KeyValuePair<string, object?>("op", op));
}
