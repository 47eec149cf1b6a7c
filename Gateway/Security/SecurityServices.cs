using System.Net;
using System.Threading.RateLimiting;
using CityArray.Grains.Interfaces.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;

namespace CityArray.Gateway.Security;

/// <summary>Wires authentication, role policies, CORS, forwarded headers, rate limits and the socket Origin check into the gateway.</summary>
public static class SecurityServices
{
    public const string SignInPolicy = "signin";
    public const string SocketTokenProtocol = "access_token";

    /// <summary>The key ASP.NET Core's <c>UseAuthentication</c> sets on the app so WebApplication does not add it again.</summary>
    private const string AuthenticationInPipeline = "__AuthenticationMiddlewareSet";
    private const string AuthorizationInPipeline = "__AuthorizationMiddlewareSet";

    public static SecurityOptions AddCityArraySecurity(this WebApplicationBuilder builder, bool clusterMode)
    {
        var security = SecurityOptions.From(builder.Configuration, clusterMode);
        var services = builder.Services;
        services.AddSingleton(security);
        services.AddSingleton<TokenService>();
        services.AddHostedService<BootstrapAdmin>();

        // Tokens sent in a socket URL must never be written to a log: the request line is logged by hosting diagnostics.
        // Off, not just raised: while the category is enabled at any level ASP.NET Core gives every request an Activity
        // and a log scope (docs/security.md), which cost every call and a socket for its whole life.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Http.Result", LogLevel.Warning);

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<TokenService>((o, tokens) =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = tokens.ValidationParameters();
            o.Events = new JwtBearerEvents
            {
                OnMessageReceived = ReadSocketToken,
                OnTokenValidated = RefuseDisabledOperatorAsync,
            };
        });
        services.AddAuthorization(o => RolePolicies.Add(o, security.Secured));

        services.AddCors(o => o.AddDefaultPolicy(p =>
        {
            if (security.CorsOrigins.Count > 0) p.WithOrigins([.. security.CorsOrigins]).AllowAnyHeader().AllowAnyMethod().WithExposedHeaders("Retry-After", "Location");
        }));

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = null; // walk back through every known proxy, stop at the first unknown address
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list still holds 127.0.0.0/8 by default and is still consulted
            o.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in security.ForwardedProxies) o.KnownProxies.Add(proxy);
            foreach (var network in security.ForwardedNetworks) o.KnownIPNetworks.Add(network);
        });

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : security.RateWindow;
                var problem = Infrastructure.Problems.TooManyRequests(context.HttpContext.Response, "too many requests from this client; try again later", retry);
                await problem.ExecuteAsync(context.HttpContext);
            };
            if (security.RestPerWindow > 0)
            {
                o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                    http.Request.Path.StartsWithSegments("/api")
                        ? RateLimitPartition.GetFixedWindowLimiter(ClientAddress(http), _ => Window(security.RestPerWindow, security.RateWindow))
                        : RateLimitPartition.GetNoLimiter("none"));
            }
            o.AddPolicy(SignInPolicy, http => RateLimitPartition.GetFixedWindowLimiter(ClientAddress(http), _ => Window(security.SignInPerWindow, security.RateWindow)));
        });
        return security;
    }

    /// <summary>The middleware, in order: real client address, security headers, CORS, Origin check, rate limits, authentication.</summary>
    public static WebApplication UseCityArraySecurity(this WebApplication app)
    {
        var security = app.Services.GetRequiredService<SecurityOptions>();
        // Only with known proxies: ASP.NET trusts every peer when both known lists are empty.
        if (security.ForwardedProxies.Count + security.ForwardedNetworks.Count > 0) app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeaders>();
        if (security.CorsOrigins.Count > 0) app.UseCors();
        app.UseMiddleware<OriginCheck>();
        app.UseRateLimiter();
        // A request without a token anywhere the bearer handler looks is anonymous: it skips the handler (a scoped
        // service resolution and a handler instance per request, on every sign socket and tokenless REST call).
        app.UseWhen(CarriesToken, authenticated => authenticated.UseAuthentication());
        // Tells the host that authentication is in the pipeline (it is, in the branch above): without the mark,
        // WebApplication adds UseAuthentication again at the start, for every request (AuthAppBuilderExtensions' key).
        ((IApplicationBuilder)app).Properties[AuthenticationInPipeline] = true;
        // Sign sockets check their own secret and have no authorization metadata (SignSocketEndpoint.IsSignSocket);
        // the mark stops WebApplication from adding authorization again for every request.
        app.UseWhen(context => !Signs.SignSocketEndpoint.IsSignSocket(context), authorized => authorized.UseAuthorization());
        ((IApplicationBuilder)app).Properties[AuthorizationInPipeline] = true;
        if (!security.Secured) app.Logger.LogWarning("{Warning}", SecurityOptions.OpenWarning);
        else app.Logger.LogInformation("Security on: operators, signs and users must present credentials");
        return app;
    }

    /// <summary>The client's address as the rate limits and submission quota see it (after trusted forwarded headers).</summary>
    public static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress switch
    {
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
        IPAddress address => address.ToString(),
        null => "unknown",
    };

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>
    /// Whether the request carries a token where <see cref="ReadSocketToken"/> and the bearer handler look: the
    /// <c>Authorization</c> header, or on a <c>/ws</c> path (not a sign's, whose secret is not a JWT) the
    /// <c>access_token</c> query or a subprotocol list.
    /// </summary>
    public static bool CarriesToken(HttpContext context)
    {
        var request = context.Request;
        if (request.Headers.Authorization.Count > 0) return true;
        if (!request.Path.StartsWithSegments("/ws") || request.Path.StartsWithSegments("/ws/sign")) return false;
        return request.Query.ContainsKey("access_token") || request.Headers.SecWebSocketProtocol.Count > 0;
    }

    /// <summary>
    /// Sockets cannot send headers from browsers: their token comes as <c>?access_token=</c> or as the subprotocol pair
    /// <c>access_token, &lt;jwt&gt;</c>. A sign's socket carries its provisioning secret instead, which is not a JWT.
    /// </summary>
    private static Task ReadSocketToken(MessageReceivedContext context)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/ws/sign"))
        {
            context.NoResult();
            return Task.CompletedTask;
        }
        if (!request.Path.StartsWithSegments("/ws") || request.Headers.Authorization.Count > 0) return Task.CompletedTask;
        if (request.Query["access_token"] is { Count: > 0 } query)
        {
            context.Token = query[0];
        }
        else
        {
            var protocols = context.HttpContext.WebSockets.WebSocketRequestedProtocols;
            for (var i = 0; i + 1 < protocols.Count; i++)
                if (protocols[i] == SocketTokenProtocol) context.Token = protocols[i + 1];
        }
        return Task.CompletedTask;
    }

    /// <summary>An operator token stops working as soon as its account is disabled (or removed).</summary>
    private static async Task RefuseDisabledOperatorAsync(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        if (principal.OperatorRole() is null) return;
        var username = principal.FindFirst(TokenService.SubjectClaim)?.Value;
        var cluster = context.HttpContext.RequestServices.GetRequiredService<IClusterClient>();
        var account = username is null ? null : await cluster.GetGrain<IOperatorGrain>(username).GetAsync();
        if (account is null || account.Disabled) context.Fail("operator account disabled or unknown");
    }
}
