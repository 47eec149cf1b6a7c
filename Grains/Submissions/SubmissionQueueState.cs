namespace CityArray.Grains.Submissions;

/// <summary>The moderation queue: each status's submission ids in the order they got it, and each id's status.</summary>
[GenerateSerializer, Alias("CityArray.SubmissionQueueState")]
public sealed class SubmissionQueueState
{
    [Id(0)] public Dictionary<string, List<string>> ByStatus { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public Dictionary<string, string> StatusOf { get; set; } = new(StringComparer.Ordinal);
}
