namespace CityArray.Grains.Retention;

/// <summary>
/// How long finished things stay in storage before their grain clears its state (env <c>RETENTION_*_DAYS</c>, see
/// docs/operations.md). Each grain counts from the moment it finished (an event from its end, a collectible from its expiry, an override from its cancel or expiry).
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>Ended civic events (participants, recent drops): <c>RETENTION_EVENTS_DAYS</c>, default 30.</summary>
    public TimeSpan Events { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Expired collectibles (claimed ones live on in the winner's inventory): <c>RETENTION_COLLECTIBLES_DAYS</c>, default 7.</summary>
    public TimeSpan Collectibles { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Decided (approved or rejected) submissions, counted from the decision: <c>RETENTION_SUBMISSIONS_DAYS</c>, default 30.</summary>
    public TimeSpan Submissions { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Sign metrics samples older than this are dropped (besides the per-sign cap): <c>RETENTION_METRICS_DAYS</c>, default 7.</summary>
    public TimeSpan Metrics { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Finished messages, counted from <c>expires_at</c> or (without one) from the last ack of every covered sign: <c>RETENTION_MESSAGES_DAYS</c>, default 7.</summary>
    public TimeSpan Messages { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Ended (cancelled or expired) overrides, an audit trail of emergencies, counted from the end: <c>RETENTION_OVERRIDES_DAYS</c>, default 30.</summary>
    public TimeSpan Overrides { get; set; } = TimeSpan.FromDays(30);
}
