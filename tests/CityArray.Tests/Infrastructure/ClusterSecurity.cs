using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CityArray.Tests.Infrastructure;

/// <summary>
/// Cluster mode is always secured: the settings a test cluster's processes need (a key, a bootstrap admin, limits out of
/// the way) and the steps to sign in, provision signs and act as users.
/// </summary>
public static class ClusterSecurity
{
    public const string SecretKey = "cluster-test-secret-key-0123456789-abcdefgh";
    public const string AdminUsername = "admin";
    public const string AdminPassword = "cluster-admin-password";

    /// <summary>Environment for every silo and gateway process of a test cluster.</summary>
    public static readonly IReadOnlyDictionary<string, string> Env = new Dictionary<string, string>
    {
        ["SECRET_KEY"] = SecretKey,
        ["ADMIN_USERNAME"] = AdminUsername,
        ["ADMIN_PASSWORD"] = AdminPassword,
        ["RATE_LIMIT_REST"] = "1000000",
    };

    /// <summary>Signs in as the bootstrap admin and makes <paramref name="http"/> send its token from now on; returns the token.</summary>
    public static async Task<string> SignInAdminAsync(HttpClient http)
    {
        var response = await http.PostAsJsonAsync("/api/auth/token", new { username = AdminUsername, password = AdminPassword });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"admin sign-in: {response.StatusCode} {text}");
        var token = JsonDocument.Parse(text).RootElement.GetProperty("access_token").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return token;
    }

    /// <summary>Provisions a sign (as the admin <paramref name="http"/> is signed in as) and returns its secret.</summary>
    public static async Task<string> ProvisionSignAsync(HttpClient http, string signId)
    {
        var response = await http.PutAsJsonAsync($"/api/signs/{signId}", new { name = signId });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"provision {signId}: {response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("secret").GetString()!;
    }

    /// <summary>A user session token made with the test key (for ids registration would never give, e.g. an unknown user).</summary>
    public static string UserToken(string userId) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "cityarray",
        Audience = "cityarray",
        Expires = DateTime.UtcNow.AddHours(1),
        Subject = new ClaimsIdentity([new Claim("sub", userId), new Claim("role", "user")]),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SecretKey)), SecurityAlgorithms.HmacSha256),
    });
}
