using Microsoft.Playwright;

namespace CityArray.Tests.OperatorConsole;

/// <summary>
/// Debian's headless Chromium (<c>/usr/bin/chromium</c>, or <c>CITYARRAY_CHROMIUM</c>) driven by Playwright, with a fresh
/// profile per browser. Playwright never downloads a browser here. Without Chromium the tests skip, saying so; under
/// <c>CI=true</c> they fail instead, since CI installs it (<c>.ci/run</c>).
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowserContext _context;
    private readonly string _profile;

    private ConsoleBrowser(IPlaywright playwright, IBrowserContext context, string profile)
    {
        _playwright = playwright;
        _context = context;
        _profile = profile;
    }

    public IBrowserContext Context => _context;

    /// <summary>Where screenshots go: <c>tests/CityArray.Tests/bin/&lt;config&gt;/net10.0/artifacts/console/</c>.</summary>
    public static string ArtifactsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "console");

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("CITYARRAY_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Skips the calling test when Chromium is missing (fails under CI=true).</summary>
    public static void RequireChromium()
    {
        if (File.Exists(ChromiumPath)) return;
        var message = $"Chromium not found at {ChromiumPath}: install it (apt-get install -y chromium) or set CITYARRAY_CHROMIUM; browser tests skipped";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException(message.Replace("skipped", "cannot run under CI"));
        Skip.If(true, message);
    }

    public static async Task<ConsoleBrowser> LaunchAsync()
    {
        RequireChromium();
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Assertions.SetDefaultExpectTimeout(20_000);
        var playwright = await Playwright.CreateAsync();
        var profile = Infrastructure.TempDirectory.Create("chromium-profile");
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
            Timeout = 60_000,
        });
        return new ConsoleBrowser(playwright, context, profile);
    }

    /// <summary>Opens the console of <paramref name="port"/>; page errors (uncaught exceptions) are collected in <paramref name="errors"/>.</summary>
    public async Task<IPage> OpenAsync(int port, List<string> errors, Func<IPage, Task>? beforeLoad = null)
    {
        var page = _context.Pages.FirstOrDefault() ?? await _context.NewPageAsync();
        if (beforeLoad is not null) await beforeLoad(page);
        page.PageError += (_, e) => { lock (errors) errors.Add(e); };
        // Failed requests are expected (the 404 of /api/auth/status in open mode, 400s the test provokes); script errors are not.
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) lock (errors) errors.Add(m.Text);
        };
        await page.GotoAsync($"http://127.0.0.1:{port}/");
        return page;
    }

    /// <summary>Saves a full-page screenshot under <see cref="ArtifactsDirectory"/>.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ArtifactsDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsDirectory, $"{name}.png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await _context.CloseAsync();
        _playwright.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
