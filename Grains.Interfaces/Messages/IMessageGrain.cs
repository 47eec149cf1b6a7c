namespace CityArray.Grains.Interfaces.Messages;

/// <summary>One message, keyed by its id: what was sent, to whom, and each sign's delivery state.</summary>
[Alias("CityArray.IMessageGrain")]
public interface IMessageGrain : IGrainWithStringKey
{
    /// <summary>Records the message, resolves its target to signs and queues it on each of them; idempotent.</summary>
    [Alias("Send")]
    Task<MessageReport> SendAsync(SignMessage message, MessageTarget target, string? language);

    /// <summary>The message and its deliveries, or null if no message has this id.</summary>
    [Alias("Get"), ReadOnly]
    Task<MessageReport?> GetAsync();

    /// <summary>A sign received the message (replayed on connect). One-way, so a sign never waits on a message grain.</summary>
    [Alias("ReportSent"), OneWay]
    Task ReportSentAsync(string signId, DateTimeOffset at);

    /// <summary>
    /// A gateway's batch of deliveries (of a broadcast; a sign covered late joins the report) and acks (of any message).
    /// Returns once stored; when it throws, nothing of it was kept and the gateway sends it again.
    /// </summary>
    [Alias("ReportBatch")]
    Task ReportBatchAsync(IReadOnlyList<string> delivered, IReadOnlyList<string> acked, DateTimeOffset at);
}
