namespace CityArray.Grains.Security;

/// <summary>Stored state of a sign's provisioning secret (state name <c>sign-credential</c>): only its SHA-256 hash.</summary>
[GenerateSerializer, Alias("CityArray.SignCredentialState")]
public sealed class SignCredentialState
{
    [Id(0)] public byte[]? SecretHash { get; set; }
    [Id(1)] public DateTimeOffset? IssuedAt { get; set; }
    [Id(2)] public DateTimeOffset? RevokedAt { get; set; }
}
