using Microsoft.Extensions.DependencyInjection;
using CityArray.Silo.Hosting;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
QuietLogs.Apply(builder.Configuration);
var settings = CityArraySettings.From(builder.Configuration);
if (!settings.Database.IsPostgres)
{
    Console.Error.WriteLine("A standalone silo is for cluster mode: set DATABASE_URL=postgresql://user:pass@host:port/db. " +
                            "For one machine, run the embedded system instead: dotnet run --project Gateway");
    return 2;
}
builder.UseOrleans(silo => silo.UseCityArray(settings, builder.Configuration));
// Shorter than the Kubernetes grace period (30 s): grains finish their calls and write what is dirty, then the process exits.
var shutdown = TimeSpan.FromSeconds(CityArraySettings.ReadInt(builder.Configuration, "SHUTDOWN_TIMEOUT_SECONDS", 20, 1, 3600));
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdown);
await builder.Build().RunAsync();
return 0;
