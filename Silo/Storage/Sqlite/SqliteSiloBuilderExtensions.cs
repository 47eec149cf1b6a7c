using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using CityArray.Silo.Storage.Serialization;

namespace CityArray.Silo.Storage.Sqlite;

/// <summary>Registers the SQLite grain storage and reminder table on a silo.</summary>
public static class SqliteSiloBuilderExtensions
{
    /// <summary>Adds a grain storage provider named <paramref name="name"/> that keeps state in the SQLite file at <paramref name="databasePath"/>.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder silo, string name, string databasePath)
    {
        silo.Services.TryAddSingleton<SqliteDatabases>();
        silo.Services.AddOptions<SqliteGrainStorageOptions>(name).Configure(o => o.DatabasePath = databasePath);
        silo.Services.AddCityArrayStateSerializer(name);
        // Fills GrainStorageSerializer from the serializer registered under the provider name, or the silo's default.
        silo.Services.TryAddEnumerable(ServiceDescriptor.Transient<IPostConfigureOptions<SqliteGrainStorageOptions>,
            DefaultStorageProviderSerializerOptionsConfigurator<SqliteGrainStorageOptions>>());
        silo.Services.AddGrainStorage(name, (services, key) =>
        {
            var options = services.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(key);
            return ActivatorUtilities.CreateInstance<SqliteGrainStorage>(services,
                key, options, services.GetRequiredService<SqliteDatabases>().Get(options.DatabasePath));
        });
        return silo;
    }

    /// <summary>Turns on Orleans reminders, stored in the SQLite file at <paramref name="databasePath"/>.</summary>
    public static ISiloBuilder UseSqliteReminderService(this ISiloBuilder silo, string databasePath)
    {
        silo.AddReminders();
        silo.Services.TryAddSingleton<SqliteDatabases>();
        silo.Services.AddSingleton<IReminderTable>(services =>
            ActivatorUtilities.CreateInstance<SqliteReminderTable>(services, services.GetRequiredService<SqliteDatabases>().Get(databasePath)));
        return silo;
    }
}
