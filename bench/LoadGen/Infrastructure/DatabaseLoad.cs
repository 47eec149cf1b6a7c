using System.Globalization;
using CityArray.LoadGen.Scenarios;
using Npgsql;

namespace CityArray.LoadGen.Infrastructure;

/// <summary>
/// The database work a process causes, read from outside: for SQLite, the gateway's own storage counters on
/// <c>/metrics</c> (<c>cityarray_storage_operations_total{op}</c>: grain state read/write/clear and reminder reads/writes,
/// counted since the process started); for PostgreSQL, deltas of <c>pg_stat_database</c> (commits, rows read and written).
/// </summary>
public static class DatabaseLoad
{
    /// <summary>Storage operations by op since the gateway process started (an empty map if it has none).</summary>
    public static async Task<Dictionary<string, double>> SqliteAsync(Uri gateway)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        string text;
        try { text = await http.GetStringAsync("/metrics"); }
        catch (Exception) { return result; }
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("cityarray_storage_operations_total{", StringComparison.Ordinal)) continue;
            var opAt = line.IndexOf("op=\"", StringComparison.Ordinal);
            if (opAt < 0) continue;
            var op = line[(opAt + 4)..line.IndexOf('"', opAt + 4)];
            var value = line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) result[op] = result.GetValueOrDefault(op) + v;
        }
        return result;
    }

    /// <summary>This database's counters now: xact_commit, tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted.</summary>
    public static async Task<Dictionary<string, double>> PostgresAsync(string url)
    {
        await using var connection = new NpgsqlConnection(ClaimStormScenario.ToConnectionString(url));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT xact_commit, tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = current_database()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (await reader.ReadAsync())
            for (var i = 0; i < reader.FieldCount; i++) result[reader.GetName(i)] = Convert.ToDouble(reader.GetValue(i), CultureInfo.InvariantCulture);
        return result;
    }

    /// <summary>after - before, per counter.</summary>
    public static Dictionary<string, double> Delta(Dictionary<string, double> before, Dictionary<string, double> after) =>
        after.ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key), StringComparer.Ordinal);
}
