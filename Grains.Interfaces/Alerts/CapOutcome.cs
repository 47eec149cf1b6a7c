namespace CityArray.Grains.Interfaces.Alerts;

/// <summary>What <see cref="ICapReceiverGrain.ReceiveAsync"/> did with an alert (the gateway maps each to an HTTP status).</summary>
public static class CapOutcome
{
    /// <summary>Accepted but nothing is shown: Draft/System status, a non-public scope, or an Ack/Error message (202).</summary>
    public const string NotShown = "not_shown";

    /// <summary>An Alert or Update raised its overrides (and an Update ended the alerts it references) (201).</summary>
    public const string Raised = "raised";

    /// <summary>The same alert was received before: nothing new was raised (200).</summary>
    public const string AlreadyReceived = "already_received";

    /// <summary>A Cancel ended the alerts it references (200).</summary>
    public const string Cancelled = "cancelled";
}
