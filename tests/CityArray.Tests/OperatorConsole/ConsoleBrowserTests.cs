using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CityArray.Tests.OperatorConsole;

/// <summary>
/// The operator console at <c>/</c>, end to end: the embedded system, simulated signs on real sockets, and the page in
/// Debian's headless Chromium. Screenshots are kept in <see cref="ConsoleBrowser.ArtifactsDirectory"/>.
/// In the heavy collection: a browser is a heavy neighbour for latency tests.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class ConsoleBrowserTests
{
    [SkippableFact]
    public async Task Signs_appear_with_their_values_change_live_and_a_silent_sign_turns_offline()
    {
        ConsoleBrowser.RequireChromium();
        await using var server = await EmbeddedServer.StartAsync(new() { ["SIGN_OFFLINE_AFTER_SECONDS"] = "3" });
        await using var browser = await ConsoleBrowser.LaunchAsync();
        var errors = new List<string>();
        var page = await browser.OpenAsync(server.Port, errors);

        await Expect(page.Locator("#open-banner")).ToBeVisibleAsync();
        await Expect(page.Locator("#open-banner")).ToHaveTextAsync("This system is open: anyone who can reach it can operate it.");
        await Expect(page.Locator("#connection")).ToContainTextAsync("Live");
        await Expect(page.Locator("#no-signs")).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "01-no-signs");

        await RegisterAsync(server, "north-1", "North gate 1", "north", -74.0721, 4.7110);
        await RegisterAsync(server, "north-2", "North gate 2", "north", -74.0712, 4.7121);
        await RegisterAsync(server, "south-1", "South stage", "south", -74.0690, 4.7040);
        await using var north1 = await server.ConnectAsync("/ws/sign/north-1");
        await using var south1 = await server.ConnectAsync("/ws/sign/south-1");
        await north1.SendJsonAsync(Heartbeat(85, -65, "low", 42));
        await south1.SendJsonAsync(Heartbeat(30, -90, "critical", 900));

        var north = Row(page, "north-1");
        await Expect(north.Locator("td[data-col=status] .badge")).ToHaveTextAsync("online");
        await Expect(north.Locator("td[data-col=battery]")).ToHaveTextAsync("85%");
        await Expect(north.Locator("td[data-col=signal]")).ToHaveTextAsync("-65 dBm");
        await Expect(north.Locator("td[data-col=crowd]")).ToHaveTextAsync("low · 42");
        await Expect(north.Locator("td[data-col=display]")).ToHaveTextAsync("nothing (idle)");
        await Expect(Row(page, "south-1").Locator("td[data-col=crowd]")).ToHaveTextAsync("critical · 900");
        await Expect(Row(page, "north-2").Locator("td[data-col=status] .badge")).ToHaveTextAsync("offline"); // registered, never connected
        await Expect(page.Locator("#no-signs")).ToBeHiddenAsync();
        await Expect(page.Locator("#fleet-count")).ToHaveTextAsync("3 of 3 signs");

        // Live, without a reload: new values replace the old ones.
        var url = page.Url;
        await north1.SendJsonAsync(Heartbeat(84, -70, "medium", 120));
        await Expect(north.Locator("td[data-col=battery]")).ToHaveTextAsync("84%");
        await Expect(north.Locator("td[data-col=crowd]")).ToHaveTextAsync("medium · 120");
        Assert.Equal(url, page.Url);

        // Filtering and sorting.
        await page.Locator("#filter-status").SelectOptionAsync("offline");
        await Expect(page.Locator("#fleet-rows tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#fleet-rows tr").First).ToHaveAttributeAsync("data-sign-id", "north-2");
        await page.Locator("#filter-status").SelectOptionAsync("");
        await page.Locator("th[data-sort=battery] button").ClickAsync();
        await Expect(page.Locator("#fleet-rows tr").First).ToHaveAttributeAsync("data-sign-id", "north-2"); // no battery sorts first
        await page.Locator("th[data-sort=battery] button").ClickAsync();
        await Expect(page.Locator("#fleet-rows tr").First).ToHaveAttributeAsync("data-sign-id", "north-1");
        await ConsoleBrowser.ScreenshotAsync(page, "02-fleet-live");

        // south-1 goes silent while north-1 keeps talking: south-1 turns offline on the page by itself.
        using var keepAlive = new CancellationTokenSource();
        var talking = Task.Run(async () =>
        {
            while (!keepAlive.IsCancellationRequested)
            {
                await north1.SendJsonAsync(Heartbeat(84, -70, "medium", 120));
                try { await Task.Delay(1000, keepAlive.Token); } catch (OperationCanceledException) { }
            }
        });
        var south = Row(page, "south-1");
        await Expect(south.Locator("td[data-col=status] .badge")).ToHaveTextAsync("offline");
        await Expect(south).ToHaveClassAsync("offline");
        await Expect(north.Locator("td[data-col=status] .badge")).ToHaveTextAsync("online");
        await Expect(page.Locator("#summary")).ToContainTextAsync("1 online · 2 offline");
        await ConsoleBrowser.ScreenshotAsync(page, "03-sign-offline");
        keepAlive.Cancel();
        await talking;
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task An_override_raised_from_the_page_fills_its_tally_as_signs_ack_and_can_be_cancelled()
    {
        ConsoleBrowser.RequireChromium();
        await using var server = await EmbeddedServer.StartAsync(new() { ["SIGN_OFFLINE_AFTER_SECONDS"] = "300" });
        string[] ids = ["gate-1", "gate-2", "gate-3"];
        var signs = new List<WsClient>();
        for (var i = 0; i < ids.Length; i++)
        {
            await RegisterAsync(server, ids[i], $"Gate {i + 1}", "gates", -74.07 + i * 0.001, 4.71);
            var sign = await server.ConnectAsync($"/ws/sign/{ids[i]}");
            signs.Add(sign);
            await sign.SendJsonAsync(Heartbeat(90, -60, "low", 5));
        }
        await server.WaitConnectedAsync(ids);
        await using var browser = await ConsoleBrowser.LaunchAsync();
        var errors = new List<string>();
        var page = await browser.OpenAsync(server.Port, errors);
        await Expect(page.Locator("#fleet-count")).ToHaveTextAsync("3 of 3 signs");

        // An API error is shown as the problem document's message: an override without text.
        await page.Locator("#raise-override").ClickAsync();
        await Expect(page.Locator("#error")).ToBeVisibleAsync();
        await Expect(page.Locator("#error-text")).ToContainTextAsync("text");
        await page.Locator("#error-close").ClickAsync();

        await page.Locator("#act-text").FillAsync("Evacuate via the north gate");
        await page.Locator("#act-headline").FillAsync("Evacuation");
        await page.Locator("#act-severity").SelectOptionAsync("extreme");
        await page.Locator("input[name=target][value=all]").CheckAsync();
        await page.Locator("#raise-override").ClickAsync();

        var received = new List<string>();
        foreach (var sign in signs)
            received.Add((await sign.ReceiveAsync("override")).GetProperty("override_id").GetString()!);
        var overrideId = Assert.Single(received.Distinct());
        var item = page.Locator($"li[data-override-id='{overrideId}']");
        await Expect(item.Locator(".tally")).ToHaveTextAsync("0 of 3 signs acknowledged");
        await Expect(Row(page, "gate-1").Locator("td[data-col=display]")).ToHaveTextAsync("OVERRIDE: Evacuate via the north gate");

        for (var i = 0; i < signs.Count; i++)
        {
            await signs[i].SendJsonAsync(new { type = "ack", message_id = overrideId });
            await Expect(item.Locator(".tally")).ToHaveTextAsync($"{i + 1} of 3 signs acknowledged");
            if (i == 0) await ConsoleBrowser.ScreenshotAsync(page, "04-override-tally-partial");
        }
        await ConsoleBrowser.ScreenshotAsync(page, "05-override-tally-full");

        await item.GetByRole(AriaRole.Button, new() { Name = $"Cancel override {overrideId}" }).ClickAsync();
        foreach (var sign in signs) await sign.ReceiveAsync("override_cancelled");
        await Expect(item).ToContainTextAsync("cancelled");
        await Expect(Row(page, "gate-1").Locator("td[data-col=display]")).ToHaveTextAsync("nothing (idle)");

        // An area drawn on the map: a polygon over the western part of the map, where only gate-1 is.
        var map = page.Locator("#map");
        var box = (await map.BoundingBoxAsync())!;
        await page.Locator("#draw-polygon").ClickAsync();
        foreach (var (x, y) in new[] { (0.02, 0.05), (0.3, 0.05), (0.3, 0.95), (0.02, 0.95) })
            await map.ClickAsync(new() { Position = new() { X = (float)(box.Width * x), Y = (float)(box.Height * y) } });
        await page.Locator("#draw-finish").ClickAsync();
        await Expect(page.Locator("#area-info")).ToHaveTextAsync("polygon of 4 points");
        await Expect(page.Locator("input[name=target][value=area]")).ToBeCheckedAsync();
        await page.Locator("#act-text").FillAsync("Storm: shelter west");
        await page.Locator("#raise-override").ClickAsync();
        var areaOverride = await signs[0].ReceiveAsync("override", m => m.GetProperty("text").GetString() == "Storm: shelter west");
        var areaId = areaOverride.GetProperty("override_id").GetString()!;
        await Expect(page.Locator($"li[data-override-id='{areaId}'] .tally")).ToHaveTextAsync("0 of 1 signs acknowledged");
        var report = await server.Http.GetFromJsonAsync<JsonElement>($"/api/overrides/{areaId}");
        Assert.Equal(1, report.GetProperty("covered").GetInt32());
        Assert.Equal(["gate-1"], report.GetProperty("not_acked").EnumerateArray().Select(e => e.GetString()!).ToArray());
        await ConsoleBrowser.ScreenshotAsync(page, "05b-override-area");
        foreach (var sign in signs) await sign.DisposeAsync();
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task A_submission_approved_on_the_page_reaches_a_sign_of_the_chosen_zone_and_templates_preview_in_both_languages()
    {
        ConsoleBrowser.RequireChromium();
        await using var server = await EmbeddedServer.StartAsync(new() { ["SIGN_OFFLINE_AFTER_SECONDS"] = "300" });
        await RegisterAsync(server, "stage-1", "Main stage", "stage", -74.07, 4.71);
        await RegisterAsync(server, "food-1", "Food court", "food", -74.06, 4.70);
        await using var stage = await server.ConnectAsync("/ws/sign/stage-1");
        await using var food = await server.ConnectAsync("/ws/sign/food-1");
        await server.WaitConnectedAsync("stage-1", "food-1");
        await using var browser = await ConsoleBrowser.LaunchAsync();
        var errors = new List<string>();
        var page = await browser.OpenAsync(server.Port, errors);
        await Expect(page.Locator("#connection")).ToContainTextAsync("Live");
        await Expect(page.Locator("#no-submissions")).ToBeVisibleAsync();

        // Arrives live (new_submission), no reload.
        var created = await server.Http.PostAsJsonAsync("/api/submissions", new { name = "Ana", text = "Hello festival!" });
        var submissionId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var entry = page.Locator($"li[data-submission-id='{submissionId}']");
        await Expect(entry).ToContainTextAsync("Ana: Hello festival!");
        await entry.Locator("select").SelectOptionAsync("zone:stage");
        await ConsoleBrowser.ScreenshotAsync(page, "06-moderation-queue");
        await entry.GetByRole(AriaRole.Button, new() { Name = "Approve the submission from Ana" }).ClickAsync();

        var shown = await stage.ReceiveAsync("new_message");
        Assert.Equal("Ana: Hello festival!", shown.GetProperty("text").GetString());
        // The sign acks what it shows; message_ack carries the sign, so "Showing now" follows (a push alone does not
        // publish a sign_update: see docs/console.md, Limits).
        await stage.SendJsonAsync(new { type = "ack", message_id = shown.GetProperty("message_id").GetString() });
        await Expect(entry).ToHaveCountAsync(0);
        await Expect(page.Locator("#no-submissions")).ToBeVisibleAsync();
        await Expect(Row(page, "stage-1").Locator("td[data-col=display]")).ToHaveTextAsync("message: Ana: Hello festival!");
        await Expect(Row(page, "food-1").Locator("td[data-col=display]")).ToHaveTextAsync("nothing (idle)");
        Assert.DoesNotContain(food.History, m => m.GetProperty("type").GetString() == "new_message");

        // A template with its variables, previewed in English and Spanish, sent to a zone.
        await page.Locator("#act-template").SelectOptionAsync("schedule-now-playing");
        var variables = page.Locator("#act-variables input");
        await Expect(variables.First).ToBeVisibleAsync();
        var count = await variables.CountAsync();
        for (var i = 0; i < count; i++) await variables.Nth(i).FillAsync($"Value{i}");
        await Expect(page.Locator("#preview-en")).ToContainTextAsync("Value0");
        await Expect(page.Locator("#preview-es")).ToContainTextAsync("Value0");
        Assert.NotEqual(await page.Locator("#preview-en").TextContentAsync(), await page.Locator("#preview-es").TextContentAsync());
        await page.Locator("input[name=target][value=zone]").CheckAsync();
        await page.Locator("#act-zone").SelectOptionAsync("food");
        await ConsoleBrowser.ScreenshotAsync(page, "07-template-preview");
        await page.Locator("#send-message").ClickAsync();
        var message = await food.ReceiveAsync("new_message");
        Assert.Contains("Value0", message.GetProperty("text").GetString());
        await Expect(page.Locator("#act-result")).ToContainTextAsync("sent to 1 signs");
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task Civic_events_show_with_participants_and_collectible_drops_and_claims_appear_as_they_happen()
    {
        ConsoleBrowser.RequireChromium();
        await using var server = await EmbeddedServer.StartAsync(new() { ["SIGN_OFFLINE_AFTER_SECONDS"] = "300" });
        await RegisterAsync(server, "plaza-1", "Plaza", "plaza", -74.0720, 4.7110);
        var creator = await PostAsync(server, "/api/users/register", new { phone = "+573001110001", name = "Creator" });
        var fan = await PostAsync(server, "/api/users/register", new { phone = "+573001110002", name = "Fan" });
        var creatorId = creator.GetProperty("id").GetString()!;
        var fanId = fan.GetProperty("id").GetString()!;
        var created = await PostAsync(server, $"/api/events?creator_id={creatorId}",
            new { title = "Plaza concert", description = "Live", category = "music", coordinates = new[] { -74.0718, 4.7112 }, address = "Plaza" });
        var eventId = created.GetProperty("id").GetString()!;
        await PostAsync(server, $"/api/events/{eventId}/join?user_id={fanId}", null);

        await using var browser = await ConsoleBrowser.LaunchAsync();
        var errors = new List<string>();
        var page = await browser.OpenAsync(server.Port, errors);
        var listed = page.Locator($"#events li[data-event-id='{eventId}']");
        await Expect(listed).ToContainTextAsync("Plaza concert");
        await Expect(listed).ToContainTextAsync("1 participant");
        await Expect(page.Locator("#no-collectibles")).ToBeVisibleAsync();

        var drop = await PostAsync(server, $"/api/events/{eventId}/collectibles?creator_id={creatorId}",
            new { name = "Golden ticket", rarity = "legendary", ttl_seconds = 60 });
        var collectibleId = drop.GetProperty("id").GetString()!;
        var feed = page.Locator($"#collectibles li[data-collectible-id='{collectibleId}']");
        await Expect(feed).ToContainTextAsync("dropped: Golden ticket (legendary) at Plaza concert");
        await ConsoleBrowser.ScreenshotAsync(page, "08-city-drop");

        var claim = await PostAsync(server, $"/api/collectibles/claim?collectible_id={collectibleId}&user_id={fanId}", null);
        Assert.True(claim.GetProperty("success").GetBoolean());
        await Expect(feed.First).ToContainTextAsync($"claimed: Golden ticket (legendary) by {fanId} at Plaza concert");
        await Expect(page.Locator("#no-collectibles")).ToBeHiddenAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "09-city-claim");
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task A_secured_system_asks_for_sign_in_then_sends_the_token_on_rest_and_on_the_socket()
    {
        ConsoleBrowser.RequireChromium();
        await using var server = await EmbeddedServer.StartAsync();
        await using var browser = await ConsoleBrowser.LaunchAsync();
        var errors = new List<string>();
        // The operator sign-in endpoints as the contract describes them (GET /api/auth/status, POST /api/auth/token),
        // played by the test so the page is checked against exactly that shape.
        var authorizations = new List<string>();
        var socketUrls = new List<string>();
        var page = await browser.OpenAsync(server.Port, errors, async p =>
        {
            await p.RouteAsync("**/api/auth/status", r => r.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = """{"mode":"secured"}""" }));
            await p.RouteAsync("**/api/auth/token", async r =>
            {
                var body = JsonDocument.Parse(r.Request.PostData!).RootElement;
                var good = body.GetProperty("username").GetString() == "ops" && body.GetProperty("password").GetString() == "right";
                await r.FulfillAsync(good
                    ? new() { Status = 200, ContentType = "application/json", Body = """{"access_token":"tok-123","token_type":"bearer","expires_in":3600,"role":"operator"}""" }
                    : new() { Status = 401, ContentType = "application/problem+json", Body = """{"title":"Unauthorized","status":401,"detail":"wrong user name or password"}""" });
            });
            await p.RouteAsync("**/api/templates", async r =>
            {
                lock (authorizations) authorizations.Add(r.Request.Headers.GetValueOrDefault("authorization") ?? "(none)");
                await r.ContinueAsync();
            });
            p.WebSocket += (_, ws) => { lock (socketUrls) socketUrls.Add(ws.Url); };
        });

        await Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        await Expect(page.Locator("#console")).ToBeHiddenAsync();
        await Expect(page.Locator("#open-banner")).ToBeHiddenAsync();
        Assert.Empty(socketUrls); // nothing connects before sign-in
        await page.GetByLabel("User name").FillAsync("ops");
        await page.GetByLabel("Password").FillAsync("wrong");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#sign-in-error")).ToHaveTextAsync("wrong user name or password");
        await ConsoleBrowser.ScreenshotAsync(page, "12-sign-in");

        await page.GetByLabel("Password").FillAsync("right");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#console")).ToBeVisibleAsync();
        await Expect(page.Locator("#connection")).ToContainTextAsync("Live");
        Assert.Equal("tok-123", await page.EvaluateAsync<string>("() => sessionStorage.getItem('cityarray.token')"));
        await Eventually.UntilAsync(() => Task.FromResult(authorizations.Count > 0));
        Assert.All(authorizations, a => Assert.Equal("Bearer tok-123", a));
        Assert.Contains(socketUrls, u => u.EndsWith("/ws/dashboard?access_token=tok-123", StringComparison.Ordinal));

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('cityarray.token')"));
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task A_lost_dashboard_connection_is_announced_and_the_page_reconnects_by_itself()
    {
        ConsoleBrowser.RequireChromium();
        await using var server = await EmbeddedServer.StartAsync(new() { ["SIGN_OFFLINE_AFTER_SECONDS"] = "300" });
        await using var sign = await server.ConnectAsync("/ws/sign/kiosk-1");
        await sign.SendJsonAsync(Heartbeat(70, -60, "low", 1));
        await server.WaitConnectedAsync("kiosk-1");
        await using var browser = await ConsoleBrowser.LaunchAsync();
        var errors = new List<string>();
        // Between the page and the gateway: the first connection is proxied; the next two are refused (the gateway
        // "is down"); from the fourth on, proxied again.
        var connections = 0;
        IWebSocketRoute? first = null;
        var page = await browser.OpenAsync(server.Port, errors, p => p.RouteWebSocketAsync("**/ws/dashboard", route =>
        {
            var n = Interlocked.Increment(ref connections);
            if (n == 1) first = route;
            if (n is 2 or 3) { _ = route.CloseAsync(); return; }
            route.ConnectToServer();
        }));
        var row = Row(page, "kiosk-1");
        await Expect(row.Locator("td[data-col=battery]")).ToHaveTextAsync("70%");
        await Expect(page.Locator("#connection")).ToContainTextAsync("Live");

        await first!.CloseAsync();
        await Expect(page.Locator("#connection")).ToContainTextAsync("Connection lost: reconnecting in");
        await ConsoleBrowser.ScreenshotAsync(page, "10-connection-lost");
        await sign.SendJsonAsync(Heartbeat(55, -60, "low", 1)); // sent while the page is cut off
        await Expect(page.Locator("#connection")).ToContainTextAsync("Live", new() { Timeout = 30_000 });
        Assert.True(Volatile.Read(ref connections) >= 4);
        await Expect(row.Locator("td[data-col=battery]")).ToHaveTextAsync("55%"); // the fresh all_signs caught up
        await sign.SendJsonAsync(Heartbeat(54, -60, "low", 1));
        await Expect(row.Locator("td[data-col=battery]")).ToHaveTextAsync("54%"); // and live again
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task Ten_thousand_signs_and_a_burst_of_updates_keep_one_page_of_rows_in_the_table()
    {
        ConsoleBrowser.RequireChromium();
        await using var server = await EmbeddedServer.StartAsync();
        await using var browser = await ConsoleBrowser.LaunchAsync();
        var errors = new List<string>();
        // The dashboard socket is played by the test: a snapshot of 10,000 signs, then 10,000 updates in a burst.
        const int count = 10_000;
        static object SignJson(int i, int battery) => new
        {
            id = $"sign-{i:D5}", name = $"Sign {i}", zone = $"zone-{i % 20}", coordinates = new[] { -74.1 + (i % 100) * 0.001, 4.6 + (i / 100) * 0.001 },
            status = i % 7 == 0 ? "offline" : "online", connected = i % 7 != 0, battery, signal_strength = -70, crowd_density = "low",
            crowd_count = i % 50, last_seen = "2026-12-01T20:00:00.000Z", current_display = new { kind = "idle" },
        };
        var page = await browser.OpenAsync(server.Port, errors, p => p.RouteWebSocketAsync("**/ws/dashboard", route =>
        {
            route.Send(JsonSerializer.Serialize(new { type = "all_signs", timestamp = "2026-12-01T20:00:00.000Z", signs = Enumerable.Range(0, count).Select(i => SignJson(i, 50)) }));
            for (var i = 0; i < count; i++)
                route.Send(JsonSerializer.Serialize(new { type = "sign_update", timestamp = "2026-12-01T20:00:01.000Z", sign = SignJson(i, i % 100) }));
        }));

        await Expect(page.Locator("#fleet-count")).ToHaveTextAsync("10000 of 10000 signs", new() { Timeout = 60_000 });
        await Expect(page.Locator("#fleet-rows tr")).ToHaveCountAsync(100);
        await Expect(page.Locator("#page-info")).ToHaveTextAsync("Page 1 of 100");
        await Expect(Row(page, "sign-09999").Locator("td[data-col=battery]")).ToHaveCountAsync(0); // not on page 1
        await page.Locator("#filter-text").FillAsync("sign-09999");
        await Expect(page.Locator("#fleet-rows tr")).ToHaveCountAsync(1);
        await Expect(Row(page, "sign-09999").Locator("td[data-col=battery]")).ToHaveTextAsync("99%", new() { Timeout = 60_000 });
        await page.Locator("#filter-text").FillAsync("");
        await page.Locator("#filter-status").SelectOptionAsync("offline");
        await Expect(page.Locator("#fleet-count")).ToHaveTextAsync($"{Enumerable.Range(0, count).Count(i => i % 7 == 0)} of 10000 signs");
        await ConsoleBrowser.ScreenshotAsync(page, "11-ten-thousand-signs");
        Assert.Empty(errors);
    }

    private static async Task<JsonElement> PostAsync(EmbeddedServer server, string path, object? body)
    {
        var response = body is null ? await server.Http.PostAsync(path, null) : await server.Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static ILocator Row(IPage page, string signId) => page.Locator($"#fleet-rows tr[data-sign-id='{signId}']");

    private static object Heartbeat(int battery, int signal, string density, int count) =>
        new { type = "heartbeat", data = new { battery, signal_strength = signal, crowd_density = density, crowd_count = count } };

    private static async Task RegisterAsync(EmbeddedServer server, string id, string name, string zone, double lng, double lat)
    {
        var response = await server.PutJsonAsync($"/api/signs/{id}", new { name, zone, coordinates = new[] { lng, lat } });
        response.EnsureSuccessStatusCode();
    }
}
