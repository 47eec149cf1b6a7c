using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CityArray.Tests.Security;

/// <summary>Forged, expired and stale operator tokens are refused; repeated wrong passwords lock an account.</summary>
public sealed class TokenTests(SecuredServerFixture fixture) : IClassFixture<SecuredServerFixture>
{
    private const string AdminOnly = "/api/operators";

    private static string Forge(string key, DateTime expires, string role = "admin", string subject = "root", string alg = SecurityAlgorithms.HmacSha256)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "cityarray",
            Audience = "cityarray",
            IssuedAt = expires.AddHours(-1),
            NotBefore = expires.AddHours(-1),
            Expires = expires,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("role", role)]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), alg),
        });
    }

    private static string B64(string json) => Base64UrlEncoder.Encode(json);

    private async Task<HttpStatusCode> StatusWith(string token) => (await fixture.SendAsync(HttpMethod.Get, AdminOnly, token)).StatusCode;

    [Fact]
    public async Task A_token_made_with_the_key_works_but_expired_tampered_unsigned_and_foreign_ones_do_not()
    {
        var valid = Forge(SecuredServerFixture.SecretKey, DateTime.UtcNow.AddMinutes(10));
        Assert.Equal(HttpStatusCode.OK, await StatusWith(valid));

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWith(Forge(SecuredServerFixture.SecretKey, DateTime.UtcNow.AddMinutes(-5))));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWith(Forge("another-key-that-is-long-enough-0123456789", DateTime.UtcNow.AddMinutes(10))));

        // Tampered: a viewer's real token with its payload changed to admin, signature kept.
        var viewer = fixture.Tokens["viewer"].Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(viewer[1])).Replace("\"role\":\"viewer\"", "\"role\":\"admin\"");
        Assert.Contains("\"role\":\"admin\"", payload);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWith($"{viewer[0]}.{B64(payload)}.{viewer[2]}"));

        // alg none: no signature at all.
        var exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        var unsigned = $"{B64("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{B64($"{{\"sub\":\"root\",\"role\":\"admin\",\"iss\":\"cityarray\",\"aud\":\"cityarray\",\"exp\":{exp}}}")}.";
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWith(unsigned));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWith(unsigned.TrimEnd('.')));

        // The user's own session token is no operator token, even though the same key signed it.
        var user = await fixture.RegisterAsync();
        Assert.Equal(HttpStatusCode.Forbidden, await StatusWith(user.Token));
    }

    [Fact]
    public async Task A_disabled_operators_tokens_stop_working_and_it_cannot_sign_in()
    {
        var admin = fixture.Tokens["admin"];
        Assert.Equal(HttpStatusCode.Created, (await fixture.SendAsync(HttpMethod.Post, "/api/operators", admin,
            new { username = "leaver", password = "leaver-password-123", role = "operator" })).StatusCode);
        var token = await fixture.SignInAsync("leaver", "leaver-password-123");
        Assert.Equal(HttpStatusCode.OK, (await fixture.SendAsync(HttpMethod.Get, "/api/signs", token)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await fixture.SendAsync(HttpMethod.Post, "/api/operators/leaver/disable", admin)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.SendAsync(HttpMethod.Get, "/api/signs", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.SendAsync(HttpMethod.Post, "/api/auth/token", body: new { username = "leaver", password = "leaver-password-123" })).StatusCode);

        var list = await (await fixture.SendAsync(HttpMethod.Get, "/api/operators", admin)).Content.ReadAsStringAsync();
        Assert.Contains("\"username\":\"leaver\"", list);
        Assert.DoesNotContain("pbkdf2", list);
        Assert.DoesNotContain("password", list);

        Assert.Equal(HttpStatusCode.OK, (await fixture.SendAsync(HttpMethod.Post, "/api/operators/leaver/enable", admin)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.SendAsync(HttpMethod.Get, "/api/signs", await fixture.SignInAsync("leaver", "leaver-password-123"))).StatusCode);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one_until_an_admin_resets_it()
    {
        var admin = fixture.Tokens["admin"];
        await fixture.SendAsync(HttpMethod.Post, "/api/operators", admin, new { username = "target", password = "target-password-123", role = "viewer" });
        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.SendAsync(HttpMethod.Post, "/api/auth/token", body: new { username = "target", password = $"guess-{i}-password" })).StatusCode);
        var locked = await fixture.SendAsync(HttpMethod.Post, "/api/auth/token", body: new { username = "target", password = "guess-5-password" });
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.NotNull(locked.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await fixture.SendAsync(HttpMethod.Post, "/api/auth/token", body: new { username = "target", password = "target-password-123" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await fixture.SendAsync(HttpMethod.Put, "/api/operators/target/password", admin, new { password = "target-password-456" })).StatusCode);
        await fixture.SignInAsync("target", "target-password-456");
    }

    [Fact]
    public async Task Operator_accounts_need_a_known_role_and_a_long_password()
    {
        var admin = fixture.Tokens["admin"];
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.SendAsync(HttpMethod.Post, "/api/operators", admin, new { username = "short", password = "short", role = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.SendAsync(HttpMethod.Post, "/api/operators", admin, new { username = "godlike", password = "long-enough-password", role = "root" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.SendAsync(HttpMethod.Post, "/api/operators", admin, new { username = "Bad Name", password = "long-enough-password", role = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await fixture.SendAsync(HttpMethod.Post, "/api/operators", admin, new { username = "root", password = "long-enough-password", role = "viewer" })).StatusCode);
    }
}
