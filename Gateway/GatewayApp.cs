using CityArray.Gateway.Alerts;
using CityArray.Gateway.Collectibles;
using CityArray.Gateway.OperatorConsole;
using CityArray.Gateway.Dashboards;
using CityArray.Gateway.Events;
using CityArray.Gateway.Users;
using CityArray.Gateway.Health;
using CityArray.Gateway.Hosting;
using CityArray.Gateway.Infrastructure;
using CityArray.Gateway.Infrastructure.WebSockets;
using CityArray.Gateway.Messages;
using CityArray.Gateway.Overrides;
using CityArray.Gateway.Security;
using CityArray.Gateway.Signs;
using CityArray.Gateway.Sms;
using CityArray.Gateway.Weather;
using CityArray.Gateway.Transcripts;
using CityArray.Gateway.Submissions;
using CityArray.Gateway.Templates;
using CityArray.Grains;
using CityArray.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.OpenApi;

namespace CityArray.Gateway;

/// <summary>
/// Builds the CityArray HTTP process: REST, WebSockets and API docs on one listener. With a SQLite
/// <c>DATABASE_URL</c> it co-hosts the silo (embedded, the default); with PostgreSQL it is an Orleans client of the cluster.
/// </summary>
public static class GatewayApp
{
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        QuietLogs.Apply(builder.Configuration);
        var config = builder.Configuration;
        var settings = CityArraySettings.From(config);

        var host = config["HOST"] is { Length: > 0 } h ? h : "0.0.0.0";
        var port = CityArraySettings.ReadInt(config, "PORT", 8000, 0, 65535);
        builder.WebHost.UseUrls($"http://{host}:{port}");
        var shutdownSeconds = CityArraySettings.ReadInt(config, "SHUTDOWN_TIMEOUT_SECONDS", 20, 1, 3600);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(shutdownSeconds));

        if (settings.Database.IsPostgres)
        {
            // The status observer tells the gateway when it regains the cluster, so it re-takes its channel and subscriptions.
            builder.UseOrleansClient(client =>
            {
                client.UseCityArray(settings).AddClusterConnectionStatusObserver<GatewayClusterStatus>();
                if (Telemetry.TracesExported(config)) client.AddActivityPropagation(); // grain calls become spans
            });
            builder.Services.AddSingleton<IClientConnectionRetryFilter, ClusterConnectRetry>();
        }
        else
        {
            builder.UseOrleans(silo =>
            {
                silo.UseCityArray(settings, config);
                if (Telemetry.TracesExported(config)) silo.AddActivityPropagation();
            });
        }

        var security = builder.AddCityArraySecurity(clusterMode: settings.Database.IsPostgres);
        var services = builder.Services;
        services.AddSingleton(settings);
        // The clock rules read (a gateway-only process has no silo to register it); see CityArrayClock.
        services.TryAddSingleton(CityArrayClock.System);
        services.AddSingleton(GatewayOptions.From(config));
        services.AddSingleton(SocketLimits.From(config));
        services.AddInputLimits(config);
        services.AddCityArrayTelemetry(config);
        var dashboardPath = OrleansDashboardSetting.Path(config);
        services.AddSingleton<OpenSockets>();
        services.AddHostedService(sp => sp.GetRequiredService<OpenSockets>());
        services.AddSingleton<SocketAcceptor>();
        services.AddSingleton<DashboardHub>();
        services.AddHostedService(sp => sp.GetRequiredService<DashboardHub>());
        services.AddSingleton<DashboardSocketEndpoint>();
        services.AddSingleton<ClusterRecovery>();
        services.AddSingleton<TallyReports>();
        services.AddSingleton<SignHub>();
        services.AddSingleton<GatewayLink>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayLink>());
        services.AddSingleton<SignSocketEndpoint>();
        services.AddSingleton<EventFanout>();
        services.AddSingleton<UserSocketEndpoint>();
        services.AddTwilioOptions(config);
        services.AddSingleton<TwilioWebhook>();
        services.AddWeatherOptions(config);
        services.AddSingleton(DeepgramOptions.From(config));
        services.ConfigureHttpJsonOptions(o => JsonWire.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("openapi", new OpenApiInfo
            {
                Title = "CityArray",
                Version = "v1",
                Description = "Real-time platform for city signage and civic events. WebSocket protocols: see docs/websockets.md. " +
                              "Security (roles, tokens, open mode): see docs/security.md.",
            });
            // "Authorize" in Swagger UI: an operator JWT from POST /api/auth/token or a user's session token.
            o.AddSecurityDefinition("bearer", new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT" });
            o.AddSecurityRequirement(doc => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", doc)] = [] });
        });

        configure?.Invoke(builder);
        var app = builder.Build();
        app.Logger.LogInformation("CityArray gateway: {Mode} on {Database}", settings.Database.IsPostgres ? "cluster client" : "embedded silo", settings.Database);
        app.UseWhen(context => !SignSocketEndpoint.IsSignSocket(context), errors =>
        {
            errors.UseExceptionHandler();
            errors.UseStatusCodePages();
        });
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20), KeepAliveTimeout = TimeSpan.FromSeconds(20) });
        app.UseCityArraySecurity();
        app.UseDashboardGuard(dashboardPath);
        // The API docs only on their own paths: every other request (and each socket, for its whole life) skips them.
        app.UseWhen(context => IsDocsPath(context.Request.Path), docs =>
        {
            docs.UseSwagger(o => o.RouteTemplate = "{documentName}.json");
            docs.UseSwaggerUI(o =>
            {
                o.RoutePrefix = "docs";
                o.SwaggerEndpoint("/openapi.json", "CityArray v1");
            });
            docs.UseReDoc(o =>
            {
                o.RoutePrefix = "redoc";
                o.SpecUrl = "/openapi.json";
            });
        });

        app.UseOperatorConsole();
        app.MapHealthEndpoints();
        app.MapAuthEndpoints();
        app.MapSignEndpoints();
        app.MapTemplateEndpoints();
        app.MapMessageEndpoints();
        app.MapOverrideEndpoints();
        app.MapSubmissionEndpoints();
        app.MapCapAlertEndpoints();
        // The socket endpoints are singletons taken once here: a parameter from the container would make every upgrade
        // (10,000 at once when a gateway restarts) create a request scope it never uses.
        var signs = app.Services.GetRequiredService<SignSocketEndpoint>();
        app.Map(SignSocketEndpoint.Route, (HttpContext context, string signId) => signs.HandleAsync(context, signId))
            .ExcludeFromDescription();
        var dashboards = app.Services.GetRequiredService<DashboardSocketEndpoint>();
        app.Map("/ws/dashboard", (HttpContext context) => dashboards.HandleAsync(context))
            .RequireRole(Grains.Interfaces.Security.OperatorRoles.Viewer)
            .ExcludeFromDescription();
        app.MapUserEndpoints();
        app.MapEventEndpoints();
        app.MapCollectibleEndpoints();
        app.MapSmsEndpoints();
        app.MapWeatherEndpoints();
        app.MapTranscripts();
        app.MapObservability(dashboardPath);
        return app;
    }

    /// <summary>The OpenAPI document, Swagger UI (<c>/docs</c>) and ReDoc (<c>/redoc</c>).</summary>
    private static bool IsDocsPath(PathString path) =>
        path.StartsWithSegments("/docs") || path.StartsWithSegments("/redoc") || path.StartsWithSegments("/openapi.json");
}
