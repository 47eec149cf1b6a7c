using CityArray.Gateway.Signs;
using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Gateway.Submissions;

/// <summary>
/// Optional body of <c>POST /api/submissions/{id}/approve</c>: at most one target (<c>sign_ids</c>, <c>zone</c> or
/// <c>all:true</c>; none: the submission's zone, else all signs) and <c>display_seconds</c> (1-3600, default 30).
/// </summary>
public sealed record ApprovalRequest(string[]? SignIds, string? Zone, bool? All, int? DisplaySeconds)
{
    public const int DefaultDisplaySeconds = MessageDefaults.DisplaySeconds;

    /// <summary>Throws a <see cref="RequestException"/> naming the first bad field.</summary>
    public void Validate()
    {
        if (HasTarget) SignTargetRules.CheckTarget(SignIds, Zone, All, area: null);
        RequestException.ThrowIfInvalid("display_seconds", MessageDefaults.ValidateDisplaySeconds(DisplaySeconds));
    }

    /// <summary>The chosen target, or null to let the submission pick its default.</summary>
    public MessageTarget? ToTarget() =>
        HasTarget ? new(SignIds?.Distinct(StringComparer.Ordinal).ToArray(), Zone, All == true ? true : null) : null;

    private bool HasTarget => SignIds is not null || Zone is not null || All is not null;
}
