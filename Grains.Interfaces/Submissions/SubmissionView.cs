namespace CityArray.Grains.Interfaces.Submissions;

/// <summary>
/// One attendee submission as operators see it over REST (<c>GET /api/submissions/{id}</c>). <see cref="Contact"/> is
/// personal data: it is shown here, never in dashboard events (<see cref="ToNotice"/> leaves it out).
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.SubmissionView")]
public sealed record SubmissionView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Text,
    [property: Id(3)] string? Contact,
    [property: Id(4)] string? Zone,
    [property: Id(5)] string Source,
    [property: Id(6)] string Status,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset? ModeratedAt,
    [property: Id(9)] string? ModeratedReason,
    [property: Id(10)] string? MessageId)
{
    /// <summary>The submission for dashboards: everything but the contact.</summary>
    public SubmissionNotice ToNotice() => new(Id, Name, Text, Zone, Source, Status, CreatedAt, ModeratedAt, ModeratedReason, MessageId);
}
