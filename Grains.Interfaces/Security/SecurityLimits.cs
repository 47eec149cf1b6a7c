namespace CityArray.Grains.Interfaces.Security;

/// <summary>Shared limits on credentials checked both in the gateway and in grains.</summary>
public static class SecurityLimits
{
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 256;
    public const int MaxUsernameLength = 64;

    /// <summary>Why a username is not acceptable, or null: 1-64 of a-z, 0-9, '.', '_', '-', '@'.</summary>
    public static string? Username(string? username)
    {
        if (string.IsNullOrEmpty(username)) return "is required";
        if (username.Length > MaxUsernameLength) return $"must be at most {MaxUsernameLength} characters";
        foreach (var c in username)
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-' or '@'))
                return "may hold only lowercase letters, digits, '.', '_', '-' and '@'";
        return null;
    }

    /// <summary>Why a new password is not acceptable, or null.</summary>
    public static string? Password(string? password) =>
        string.IsNullOrEmpty(password) ? "is required"
        : password.Length < MinPasswordLength ? $"must be at least {MinPasswordLength} characters"
        : password.Length > MaxPasswordLength ? $"must be at most {MaxPasswordLength} characters"
        : null;
}
