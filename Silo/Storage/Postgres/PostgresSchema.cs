namespace CityArray.Silo.Storage.Postgres;

/// <summary>The project's own PostgreSQL schema for the Orleans ADO.NET providers, applied idempotently.</summary>
public static class PostgresSchema
{
    /// <summary>The ADO.NET invariant name of Npgsql.</summary>
    public const string Invariant = "Npgsql";

    // TODO(postgres helper): implement.
    public static ISiloBuilder AddPostgresSchemaInitializer(this ISiloBuilder silo, string connectionString) => silo;
}
