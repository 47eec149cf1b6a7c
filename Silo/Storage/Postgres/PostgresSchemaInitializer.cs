using Microsoft.Extensions.Logging;

namespace CityArray.Silo.Storage.Postgres;

/// <summary>
/// Applies <see cref="PostgresSchema"/> when the silo starts, before the ADO.NET membership table (which
/// starts at <see cref="ServiceLifecycleStage.RuntimeInitialize"/>), grain storage and reminders read their queries.
/// </summary>
public sealed class PostgresSchemaInitializer(string connectionString, ILogger<PostgresSchemaInitializer> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The silo lifecycle stage the schema is applied at.</summary>
    public const int Stage = ServiceLifecycleStage.RuntimeInitialize - 1;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresSchemaInitializer), Stage,
            ct => PostgresSchema.ApplyAsync(connectionString, logger, PostgresSchema.DefaultConnectTimeout, ct));
}
