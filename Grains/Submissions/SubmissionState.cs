using CityArray.Grains.Interfaces.Submissions;

namespace CityArray.Grains.Submissions;

/// <summary>The durable record of one submission (null until it is created).</summary>
[GenerateSerializer, Alias("CityArray.SubmissionState")]
public sealed class SubmissionState
{
    [Id(0)] public SubmissionView? Submission { get; set; }
}
