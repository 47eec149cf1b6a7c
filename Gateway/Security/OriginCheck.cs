namespace CityArray.Gateway.Security;

/// <summary>
/// Refuses (403) what another web site could make a visitor's browser do: a WebSocket upgrade or a state-changing request
/// (POST, PUT, PATCH, DELETE) whose <c>Origin</c> is neither this server nor one of <c>CORS_ORIGINS</c>. Requests without an
/// <c>Origin</c> (devices, servers, curl, webhooks) pass: only browsers send it, and they always do for these requests.
/// </summary>
public sealed class OriginCheck(RequestDelegate next, SecurityOptions security, ILogger<OriginCheck> logger)
{
    /// <summary>Not async on the way through: a socket's request stays in this call for the socket's whole life.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var guarded = context.WebSockets.IsWebSocketRequest || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        if (guarded && request.Headers.Origin is { Count: > 0 } origins && !Allowed(origins[0]!, request))
        {
            logger.LogWarning("Refused a cross-origin {Method} {Path} from {Origin}", request.Method, request.Path, origins[0]);
            return Caller.WriteAsync(context, Caller.Forbidden($"origin '{origins[0]}' may not call this server; allowed: this server's own origin and CORS_ORIGINS"));
        }
        return next(context);
    }

    private bool Allowed(string origin, HttpRequest request)
    {
        if (security.IsAllowedOrigin(origin)) return true;
        // Same origin: the Origin's host and port are the ones the browser asked for (scheme may differ behind TLS proxies).
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri) &&
               string.Equals(uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}", request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
