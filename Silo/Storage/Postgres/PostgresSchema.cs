using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CityArray.Silo.Storage.Postgres;

/// <summary>The project's own PostgreSQL schema for the Orleans ADO.NET providers, applied idempotently.</summary>
/// <remarks>
/// The scripts are embedded from <c>Storage/Postgres/Scripts/*.sql</c> and run in file-name order, all in one
/// transaction that first takes a transaction-scoped advisory lock, so silos starting together apply them one
/// after another. Every script can run any number of times.
/// </remarks>
public static class PostgresSchema
{
    /// <summary>The ADO.NET invariant name of Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>How long <see cref="ApplyAsync(string, CancellationToken)"/> keeps retrying an unreachable database.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(30);

    // An arbitrary constant that names "the CityArray schema migration" among advisory locks.
    private const long AdvisoryLockKey = 0x43_69_74_79_41_72_72_01;

    private const string ScriptPrefix = "CityArray.Silo.Storage.Postgres.Scripts.";

    /// <summary>The embedded script names, in the order they are applied.</summary>
    public static IReadOnlyList<string> ScriptNames { get; } = typeof(PostgresSchema).Assembly
        .GetManifestResourceNames()
        .Where(n => n.StartsWith(ScriptPrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
        .Select(n => n[ScriptPrefix.Length..])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>
    /// Applies the schema before the silo's membership, storage and reminders start (a silo lifecycle
    /// participant at <see cref="PostgresSchemaInitializer.Stage"/>).
    /// </summary>
    public static ISiloBuilder AddPostgresSchemaInitializer(this ISiloBuilder silo, string connectionString)
    {
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
            new PostgresSchemaInitializer(connectionString, sp.GetRequiredService<ILogger<PostgresSchemaInitializer>>()));
        return silo;
    }

    /// <summary>Applies the schema, retrying for up to <see cref="DefaultConnectTimeout"/> while the database is unreachable.</summary>
    public static Task ApplyAsync(string connectionString, CancellationToken ct) =>
        ApplyAsync(connectionString, NullLogger.Instance, DefaultConnectTimeout, ct);

    /// <summary>Applies the schema, retrying for up to <paramref name="connectTimeout"/> while the database is unreachable.</summary>
    /// <exception cref="TimeoutException">The database stayed unreachable.</exception>
    /// <exception cref="InvalidOperationException">A script failed; the transaction was rolled back.</exception>
    public static async Task ApplyAsync(string connectionString, ILogger logger, TimeSpan connectTimeout, CancellationToken ct)
    {
        var target = Describe(connectionString);
        var watch = Stopwatch.StartNew();
        await using var connection = await OpenWithRetryAsync(connectionString, target, logger, connectTimeout, ct);

        logger.LogInformation("Applying the Orleans PostgreSQL schema to {Target}: {Scripts}", target, string.Join(", ", ScriptNames));
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", AdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync(ct);
        }
        foreach (var name in ScriptNames)
        {
            await using var command = new NpgsqlCommand(ReadScript(name), connection, transaction);
            try
            {
                await command.ExecuteNonQueryAsync(ct);
            }
            catch (PostgresException e)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL schema script {name} failed on {target}: {e.SqlState} {e.MessageText}", e);
            }
            logger.LogDebug("Applied schema script {Script}", name);
        }
        await transaction.CommitAsync(ct);
        logger.LogInformation("Orleans PostgreSQL schema is up to date on {Target} ({Elapsed} ms)", target, watch.ElapsedMilliseconds);
    }

    private static async Task<NpgsqlConnection> OpenWithRetryAsync(
        string connectionString, string target, ILogger logger, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            var connection = new NpgsqlConnection(connectionString);
            try
            {
                await connection.OpenAsync(ct);
                return connection;
            }
            catch (Exception e) when (IsTransient(e) && !ct.IsCancellationRequested)
            {
                await connection.DisposeAsync();
                if (deadline.Elapsed + delay > timeout)
                    throw new TimeoutException(
                        $"PostgreSQL at {target} was not reachable within {timeout.TotalSeconds:0} s ({attempt} attempts): {e.Message}", e);
                logger.LogWarning("PostgreSQL at {Target} is not reachable yet (attempt {Attempt}: {Error}); retrying in {Delay} ms",
                    target, attempt, e.Message, (int)delay.TotalMilliseconds);
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }
    }

    // Unreachable, refusing, starting up, shutting down or out of connection slots: worth another try.
    private static bool IsTransient(Exception e) => e switch
    {
        PostgresException pe => pe.SqlState is "57P03" or "57P01" or "53300" || pe.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException ne => ne.IsTransient,
        TimeoutException => true,
        _ => false,
    };

    private static string ReadScript(string name)
    {
        using var stream = typeof(PostgresSchema).Assembly.GetManifestResourceStream(ScriptPrefix + name)
            ?? throw new InvalidOperationException($"Embedded schema script {name} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }
}
