namespace CityArray.Grains.Interfaces.Sms;

/// <summary>
/// The one paced queue of phone alerts (key 0): every second it lets the queued alerts make at most
/// <c>TWILIO_MESSAGES_PER_SECOND</c> requests to Twilio, oldest alert first. The queue is stored; a reminder restarts
/// the draining after a restart.
/// </summary>
[Alias("CityArray.ISmsDispatcherGrain")]
public interface ISmsDispatcherGrain : IGrainWithIntegerKey
{
    /// <summary>Queues an alert that has recipients to send to (idempotent). One-way: alerts never wait on the queue.</summary>
    [Alias("Enqueue"), OneWay]
    Task EnqueueAsync(string alertId);

    /// <summary>The alert ids still queued.</summary>
    [Alias("Queued"), ReadOnly]
    Task<IReadOnlyList<string>> QueuedAsync();
}
