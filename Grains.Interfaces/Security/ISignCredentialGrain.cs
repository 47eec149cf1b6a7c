namespace CityArray.Grains.Interfaces.Security;

/// <summary>
/// A sign's provisioning secret (key = sign id). The secret is made here, returned once, and stored only as a SHA-256
/// hash (it is 256 random bits, so a fast hash is enough); it can be rotated or revoked.
/// </summary>
[Alias("CityArray.ISignCredentialGrain")]
public interface ISignCredentialGrain : IGrainWithStringKey
{
    /// <summary>Makes a secret if the sign has none (or its was revoked) and returns it; null if one is already active.</summary>
    [Alias("Provision")]
    Task<string?> ProvisionAsync();

    /// <summary>Replaces the secret with a new one (the old one stops working at once) and returns it.</summary>
    [Alias("Rotate")]
    Task<string> RotateAsync();

    /// <summary>Revokes the secret: the sign cannot connect until an admin provisions it again. False if it had none.</summary>
    [Alias("Revoke")]
    Task<bool> RevokeAsync();

    /// <summary>True if <paramref name="secret"/> is the sign's active secret.</summary>
    [Alias("Verify"), ReadOnly]
    Task<bool> VerifyAsync(string secret);

    /// <summary>True while the sign has an active secret.</summary>
    [Alias("IsProvisioned"), ReadOnly]
    Task<bool> IsProvisionedAsync();
}
