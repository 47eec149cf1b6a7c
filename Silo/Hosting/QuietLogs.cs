using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace CityArray.Silo.Hosting;

/// <summary>
/// Log defaults that keep a start quiet (Orleans and ASP.NET Core at Warning), below every other configuration
/// source; <c>LOG_LEVEL</c> sets the default level and <c>Logging__LogLevel__{Category}</c> any category.
/// </summary>
public static class QuietLogs
{
    public static void Apply(IConfigurationManager configuration)
    {
        configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                // Its per-request lines are Information anyway; while it is enabled at any level, ASP.NET Core gives every
                // request an Activity and log scopes, and a socket's request keeps them for the socket's whole life.
                ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "None",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
                ["Logging:LogLevel:Orleans"] = "Warning",
                ["Logging:LogLevel:Microsoft.Orleans"] = "Warning",
            },
        });
        if (configuration["LOG_LEVEL"] is not { Length: > 0 } level) return;
        if (!Enum.TryParse<Microsoft.Extensions.Logging.LogLevel>(level, ignoreCase: true, out var parsed))
            throw new FormatException($"LOG_LEVEL must be one of Trace, Debug, Information, Warning, Error, Critical, None, not '{level}'");
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = parsed.ToString() });
    }
}
