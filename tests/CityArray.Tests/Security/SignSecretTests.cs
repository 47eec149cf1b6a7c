using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Security;

/// <summary>A sign connects only with the secret an admin provisioned: none, wrong, rotated and revoked secrets are refused before anything changes.</summary>
public sealed class SignSecretTests(SecuredServerFixture fixture) : IClassFixture<SecuredServerFixture>
{
    private string Admin => fixture.Tokens["admin"];

    private async Task<string> ProvisionAsync(string signId)
    {
        var response = await fixture.SendAsync(HttpMethod.Put, $"/api/signs/{signId}", Admin, new { name = signId, zone = "north", coordinates = new[] { -74.07, 4.71 } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(signId, body.GetProperty("id").GetString());
        return body.GetProperty("secret").GetString()!;
    }

    private Task<JsonElement> SignAsync(string signId) =>
        fixture.SendAsync(HttpMethod.Get, $"/api/signs/{signId}", Admin).ContinueWith(t => t.Result.Content.ReadFromJsonAsync<JsonElement>()).Unwrap();

    [Fact]
    public async Task The_secret_is_shown_once_and_only_it_opens_the_signs_socket()
    {
        var signId = $"sec-{Guid.NewGuid():N}"[..16];
        var secret = await ProvisionAsync(signId);
        var again = await (await fixture.SendAsync(HttpMethod.Put, $"/api/signs/{signId}", Admin, new { name = "renamed" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(again.TryGetProperty("secret", out _));

        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.TryConnectAsync($"/ws/sign/{signId}")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.TryConnectAsync($"/ws/sign/{signId}?token=wrong-secret")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.TryConnectAsync($"/ws/sign/{signId}?token={fixture.Tokens["admin"]}")).Status);
        Assert.False((await SignAsync(signId)).GetProperty("connected").GetBoolean());

        var (status, socket) = await fixture.TryConnectAsync($"/ws/sign/{signId}?token={secret}");
        Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
        socket!.Dispose();
        var (byHeader, headerSocket) = await fixture.TryConnectAsync($"/ws/sign/{signId}", new() { ["Authorization"] = $"Bearer {secret}" });
        Assert.Equal(HttpStatusCode.SwitchingProtocols, byHeader);
        using (headerSocket) await fixture.Server.WaitConnectedAsync_(fixture, signId);
    }

    [Fact]
    public async Task An_unknown_sign_cannot_be_created_by_connecting()
    {
        var signId = $"ghost-{Guid.NewGuid():N}"[..16];
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.TryConnectAsync($"/ws/sign/{signId}?token=anything")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.SendAsync(HttpMethod.Get, $"/api/signs/{signId}", Admin)).StatusCode);
    }

    [Fact]
    public async Task An_impostor_neither_replaces_the_connected_sign_nor_acks_its_override()
    {
        var signId = $"real-{Guid.NewGuid():N}"[..16];
        var secret = await ProvisionAsync(signId);
        await using var real = await WsClient.ConnectAsync(fixture.Server.WebSocketUri($"/ws/sign/{signId}?token={secret}"));
        await fixture.Server.WaitConnectedAsync_(fixture, signId);

        var created = await fixture.SendAsync(HttpMethod.Post, "/api/overrides", fixture.Tokens["operator"], new { text = "Evacuate north", sign_ids = new[] { signId }, severity = "extreme" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var overrideId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("override_id").GetString()!;
        await real.ReceiveAsync("override");

        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.TryConnectAsync($"/ws/sign/{signId}?token=guessed")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.TryConnectAsync($"/ws/sign/{signId}")).Status);
        var report = await (await fixture.SendAsync(HttpMethod.Get, $"/api/overrides/{overrideId}", Admin)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, report.GetProperty("acked").GetInt32());
        Assert.Equal(WebSocketState.Open, real.State);

        // The real sign still works: its ack counts.
        await real.SendJsonAsync(new { type = "ack", message_id = overrideId });
        await Eventually.UntilAsync(async () =>
            (await (await fixture.SendAsync(HttpMethod.Get, $"/api/overrides/{overrideId}", Admin)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("acked").GetInt32() == 1);
    }

    [Fact]
    public async Task Rotating_closes_the_old_session_and_refuses_the_old_secret_and_revoking_refuses_all()
    {
        var signId = $"rot-{Guid.NewGuid():N}"[..16];
        var first = await ProvisionAsync(signId);
        await using var connected = await WsClient.ConnectAsync(fixture.Server.WebSocketUri($"/ws/sign/{signId}?token={first}"));
        await fixture.Server.WaitConnectedAsync_(fixture, signId);

        var rotated = await fixture.SendAsync(HttpMethod.Post, $"/api/signs/{signId}/secret", Admin);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var second = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        Assert.NotEqual(first, second);
        await connected.WaitClosedAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.TryConnectAsync($"/ws/sign/{signId}?token={first}")).Status);
        var (ok, socket) = await fixture.TryConnectAsync($"/ws/sign/{signId}?token={second}");
        Assert.Equal(HttpStatusCode.SwitchingProtocols, ok);
        socket!.Dispose();

        Assert.Equal(HttpStatusCode.NoContent, (await fixture.SendAsync(HttpMethod.Delete, $"/api/signs/{signId}/secret", Admin)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.TryConnectAsync($"/ws/sign/{signId}?token={second}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.SendAsync(HttpMethod.Delete, $"/api/signs/{signId}/secret", Admin)).StatusCode);

        // Provisioning again after a revoke issues a fresh secret.
        var third = await ProvisionAsync(signId);
        Assert.NotEqual(second, third);
        var (again, againSocket) = await fixture.TryConnectAsync($"/ws/sign/{signId}?token={third}");
        Assert.Equal(HttpStatusCode.SwitchingProtocols, again);
        againSocket!.Dispose();
    }
}

internal static class SecuredSigns
{
    /// <summary>Waits until the sign is connected, reading its status with the admin token.</summary>
    public static Task WaitConnectedAsync_(this EmbeddedServer server, SecuredServerFixture fixture, string signId) =>
        Eventually.UntilAsync(async () =>
        {
            var response = await fixture.SendAsync(HttpMethod.Get, $"/api/signs/{signId}", fixture.Tokens["admin"]);
            return response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("connected").GetBoolean();
        }, () => $"sign {signId} connected", TimeSpan.FromSeconds(10));
}
