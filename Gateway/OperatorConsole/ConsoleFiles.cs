using Microsoft.Extensions.FileProviders;

namespace CityArray.Gateway.OperatorConsole;

/// <summary>
/// Serves the operator console (<c>wwwroot</c>: index.html, console.css, js/*.js ES modules) at <c>/</c>.
/// The files are copied next to the binaries, so the page needs no build step and no separate server.
/// </summary>
public static class ConsoleFiles
{
    public static WebApplication UseOperatorConsole(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!Directory.Exists(root))
        {
            app.Logger.LogWarning("Operator console files not found in {Root}: GET / will answer 404", root);
            return app;
        }
        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // Operators keep the page open for days: always revalidate so a new version is picked up on reload.
            OnPrepareResponse = c =>
            {
                c.Context.Response.Headers.CacheControl = "no-cache";
                c.Context.Response.Headers.XContentTypeOptions = "nosniff";
                if (c.File.Name.EndsWith(".html", StringComparison.Ordinal))
                {
                    c.Context.Response.Headers.ContentSecurityPolicy =
                        "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
                }
            },
        });
        return app;
    }
}
