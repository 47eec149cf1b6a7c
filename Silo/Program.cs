using Microsoft.Extensions.DependencyInjection;
using CityArray.Silo.Hosting;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
var settings = CityArraySettings.From(builder.Configuration);
if (!settings.Database.IsPostgres)
{
    Console.Error.WriteLine("A standalone silo is for cluster mode: set DATABASE_URL=postgresql://user:pass@host:port/db. " +
                            "For one machine, run the embedded system instead: dotnet run --project Gateway");
    return 2;
}
builder.UseOrleans(silo => silo.UseCityArray(settings, builder.Configuration));
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
await builder.Build().RunAsync();
return 0;
