namespace CityArray.Grains.Interfaces.Signs;

/// <summary>
/// What a sign's ack was for, as its grain found it (<see cref="ISignGrain.AckAsync"/>): the gateway counts the ack in that
/// item's tally (<c>IMessageGrain</c> or <c>IOverrideGrain</c>).
/// </summary>
public static class AckedItem
{
    /// <summary>A message sent to this sign, or a broadcast covering it.</summary>
    public const string Message = "message";

    /// <summary>An active (or lately ended) override.</summary>
    public const string Override = "override";
}
