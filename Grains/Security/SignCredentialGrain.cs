using System.Security.Cryptography;
using System.Text;
using CityArray.Grains.Interfaces.Security;

namespace CityArray.Grains.Security;

/// <summary>A sign's provisioning secret: 32 random bytes as base64url, stored as a SHA-256 hash, compared in constant time.</summary>
public sealed class SignCredentialGrain(
    [PersistentState("sign-credential", StorageNames.Grains)] IPersistentState<SignCredentialState> state,
    CityArrayClock clock) : Grain, ISignCredentialGrain
{
    private SignCredentialState S => state.State;

    public async Task<string?> ProvisionAsync() => S.SecretHash is null ? await IssueAsync() : null;

    public Task<string> RotateAsync() => IssueAsync();

    public async Task<bool> RevokeAsync()
    {
        if (S.SecretHash is null) return false;
        var (hash, revoked) = (S.SecretHash, S.RevokedAt);
        S.SecretHash = null;
        S.RevokedAt = clock.GetUtcNow();
        try { await state.WriteStateAsync(); }
        catch { (S.SecretHash, S.RevokedAt) = (hash, revoked); throw; }
        return true;
    }

    public Task<bool> VerifyAsync(string secret) =>
        Task.FromResult(S.SecretHash is { } stored && !string.IsNullOrEmpty(secret) && secret.Length <= 256
                        && CryptographicOperations.FixedTimeEquals(Hash(secret), stored));

    public Task<bool> IsProvisionedAsync() => Task.FromResult(S.SecretHash is not null);

    private async Task<string> IssueAsync()
    {
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var (hash, issued) = (S.SecretHash, S.IssuedAt);
        S.SecretHash = Hash(secret);
        S.IssuedAt = clock.GetUtcNow();
        try { await state.WriteStateAsync(); }
        catch { (S.SecretHash, S.IssuedAt) = (hash, issued); throw; }
        return secret;
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
