namespace CityArray.Silo.Storage.Sqlite;

/// <summary>Registers the SQLite grain storage and reminder table on a silo.</summary>
public static class SqliteSiloBuilderExtensions
{
    // TODO(sqlite helper): implement.
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder silo, string name, string databasePath) => silo;

    public static ISiloBuilder UseSqliteReminderService(this ISiloBuilder silo, string databasePath) => silo;
}
