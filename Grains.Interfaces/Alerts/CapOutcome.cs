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

    /// <summary>An Update or Cancel references an alert CityArray never received (<see cref="CapDecision.Field"/> is its key) (404).</summary>
    public const string UnknownReference = "unknown_reference";

    /// <summary>The alert cannot be shown (too many shapes, already expired): <see cref="CapDecision.Field"/> and <see cref="CapDecision.Reason"/> (400).</summary>
    public const string Unshowable = "unshowable";
}
