using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CityArray.Tests.Security;

/// <summary>
/// The bearer handler runs once for a request that carries a token (header, or a dashboard socket's query) and not at
/// all for one that carries none (an anonymous call), which is still refused where a role is needed.
/// </summary>
public sealed class AuthenticationPathTests
{
    [Fact]
    public async Task The_token_handler_runs_once_per_request_with_a_token_and_never_without_one()
    {
        var runs = 0;
        await using var server = await EmbeddedServer.StartAsync(new()
        {
            ["SECRET_KEY"] = SecuredServerFixture.SecretKey,
            ["ADMIN_USERNAME"] = "root",
            ["ADMIN_PASSWORD"] = SecuredServerFixture.AdminPassword,
        }, configure: b => b.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            var inner = o.Events.OnMessageReceived;
            o.Events.OnMessageReceived = context =>
            {
                Interlocked.Increment(ref runs);
                return inner(context);
            };
        }));
        var signIn = await server.Http.PostAsJsonAsync("/api/auth/token", new { username = "root", password = SecuredServerFixture.AdminPassword });
        var token = (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        Interlocked.Exchange(ref runs, 0);

        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/openapi.json")).StatusCode);
        Assert.Equal(0, Volatile.Read(ref runs));
        // Still refused where a role is needed (the refusal's challenge asks the handler once, for its WWW-Authenticate).
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetAsync("/api/operators")).StatusCode);
        Interlocked.Exchange(ref runs, 0);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/operators");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(request)).StatusCode);
        Assert.Equal(1, Volatile.Read(ref runs));

        await using var dashboard = await server.ConnectAsync($"/ws/dashboard?access_token={token}");
        await dashboard.ReceiveAsync("all_signs");
        Assert.Equal(2, Volatile.Read(ref runs));
    }
}
