using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Security;

/// <summary>
/// A secured sign socket whose secret the cluster cannot check now (its credential grain fails) is answered with a 503
/// problem, not a bare 500: the sign socket's request skips the exception handler (it holds nothing for a socket's life),
/// so the endpoint answers its own failure.
/// </summary>
public sealed class SignSocketUnavailableTests
{
    [Fact]
    public async Task A_sign_whose_secret_cannot_be_checked_gets_a_503_problem_and_connects_once_it_can()
    {
        var faults = new SignGrainFaults();
        await using var server = await EmbeddedServer.StartAsync(new()
        {
            ["SECRET_KEY"] = SecuredServerFixture.SecretKey,
            ["ADMIN_USERNAME"] = "root",
            ["ADMIN_PASSWORD"] = SecuredServerFixture.AdminPassword,
        }, configure: faults.AddTo);
        var signIn = await server.Http.PostAsJsonAsync("/api/auth/token", new { username = "root", password = SecuredServerFixture.AdminPassword });
        var admin = (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        server.Http.DefaultRequestHeaders.Authorization = new("Bearer", admin); // an admin provisions and watches the sign
        var provisioned = await server.PutJsonAsync("/api/signs/unavail-1", new { name = "unavail-1" });
        Assert.Equal(HttpStatusCode.OK, provisioned.StatusCode);
        var secret = (await provisioned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;

        faults.Fail("unavail-1");
        var refused = await server.Http.GetAsync($"/ws/sign/unavail-1?token={secret}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.Contains("reconnect with backoff", problem.GetProperty("detail").GetString());

        faults.Heal("unavail-1");
        var (status, socket) = await RawSockets.TryConnectAsync(server.WebSocketUri($"/ws/sign/unavail-1?token={secret}"));
        using (socket)
        {
            Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
            await server.WaitConnectedAsync("unavail-1");
        }
    }
}
