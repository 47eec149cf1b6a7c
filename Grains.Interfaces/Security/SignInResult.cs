namespace CityArray.Grains.Interfaces.Security;

/// <summary>
/// The outcome of an operator sign-in: on success the role; otherwise why not (<c>invalid</c> for an unknown user or a
/// wrong password alike, <c>locked</c> with <see cref="RetryAfter"/>, <c>disabled</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.SignInResult")]
public sealed record SignInResult(
    [property: Id(0)] bool Success,
    [property: Id(1)] string? Role,
    [property: Id(2)] string Outcome,
    [property: Id(3)] TimeSpan? RetryAfter)
{
    public const string Ok = "ok";
    public const string Invalid = "invalid";
    public const string Locked = "locked";
    public const string Disabled = "disabled";
}
