namespace CityArray.Grains.Interfaces.Submissions;

/// <summary>A new attendee submission, already checked and trimmed (by <c>SubmissionContent</c>, next to the submission grain).</summary>
[GenerateSerializer, Immutable, Alias("CityArray.SubmissionDraft")]
public sealed record SubmissionDraft(
    [property: Id(0)] string Name,
    [property: Id(1)] string Text,
    [property: Id(2)] string? Contact,
    [property: Id(3)] string? Zone,
    [property: Id(4)] string Source,
    [property: Id(5)] DateTimeOffset CreatedAt);
