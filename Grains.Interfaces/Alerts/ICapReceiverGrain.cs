namespace CityArray.Grains.Interfaces.Alerts;

/// <summary>
/// Where every CAP alert goes once parsed (a stateless worker, key 0): decides what is shown, and raises, replaces or
/// cancels the overrides through each alert's <see cref="ICapAlertGrain"/>. The alert grains never call each other.
/// </summary>
[Alias("CityArray.ICapReceiverGrain")]
public interface ICapReceiverGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Applies <paramref name="alert"/>: Draft/System/non-public/Ack/Error are not shown; an Alert raises one override per
    /// shape of its first language's infos; an Update raises its own, then ends the alerts it references (signs never go
    /// blank in between); a Cancel ends them. Every referenced alert must be known before anything changes. Idempotent.
    /// </summary>
    [Alias("Receive")]
    Task<CapDecision> ReceiveAsync(CapAlert alert);
}
