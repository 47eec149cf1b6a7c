using CityArray.Gateway.Signs;
using CityArray.Grains.Interfaces.Messages;

namespace CityArray.Gateway.Submissions;

/// <summary>
/// Optional body of <c>POST /api/submissions/{id}/approve</c>: at most one target (<c>sign_ids</c>, <c>zone</c> or
/// <c>all:true</c>; none: the submission's zone, else all signs) and <c>display_seconds</c> (1-3600, default 30).
/// </summary>
public sealed record ApprovalRequest(string[]? SignIds, string? Zone, bool? All, int? DisplaySeconds)
{
    public const int DefaultDisplaySeconds = MessageDefaults.DisplaySeconds;

    /// <summary>Null when valid, else the field and the reason.</summary>
    public (string Field, string Reason)? Validate()
    {
        if (HasTarget && SignTargetRules.ValidateTarget(SignIds, Zone, All, area: null) is { } badTarget) return badTarget;
        if (MessageDefaults.ValidateDisplaySeconds(DisplaySeconds) is { } badSeconds) return ("display_seconds", badSeconds);
        return null;
    }

    /// <summary>The chosen target, or null to let the submission pick its default.</summary>
    public MessageTarget? ToTarget() =>
        HasTarget ? new(SignIds?.Distinct(StringComparer.Ordinal).ToArray(), Zone, All == true ? true : null) : null;

    private bool HasTarget => SignIds is not null || Zone is not null || All is not null;
}
