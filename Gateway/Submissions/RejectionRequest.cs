namespace CityArray.Gateway.Submissions;

/// <summary>Optional body of <c>POST /api/submissions/{id}/reject</c>: a <c>reason</c> for the record (1-500 characters).</summary>
public sealed record RejectionRequest(string? Reason)
{
    public const int MaxReason = 500;

    /// <summary>Null when valid, else the field and the reason.</summary>
    public (string Field, string Reason)? Validate() =>
        Reason is not null && (Reason.Trim().Length == 0 || Reason.Length > MaxReason) ? ("reason", $"must be 1-{MaxReason} characters") : null;
}
