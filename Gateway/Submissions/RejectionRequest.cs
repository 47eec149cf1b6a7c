using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Gateway.Submissions;

/// <summary>Optional body of <c>POST /api/submissions/{id}/reject</c>: a <c>reason</c> for the record (1-500 characters).</summary>
public sealed record RejectionRequest(string? Reason)
{
    public const int MaxReason = 500;

    /// <summary>Throws a <see cref="RequestException"/> naming <c>reason</c> when it is blank or too long.</summary>
    public void Validate()
    {
        if (Reason is not null && (Reason.Trim().Length == 0 || Reason.Length > MaxReason)) throw RequestException.Invalid("reason", $"must be 1-{MaxReason} characters");
    }
}
