namespace CityArray.Gateway.Submissions;

/// <summary>Body of <c>POST /api/submissions</c>: <c>name</c>, <c>text</c>, optional <c>contact</c> and preferred <c>zone</c>.</summary>
public sealed record SubmissionRequest(string? Name, string? Text, string? Contact, string? Zone);
