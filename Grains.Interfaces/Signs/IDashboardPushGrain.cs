namespace CityArray.Grains.Interfaces.Signs;

/// <summary>
/// The way sign grains tell dashboards (and the fleet snapshot) about a sign: one local activation per silo takes each
/// sign's event at once and forwards what gathered meanwhile as one batch per gateway, one batch in flight per gateway
/// (<see cref="IGatewayObserver.DashboardEventsAsync"/>), and one batch of views to the fleet snapshot. No timer: a lone
/// event leaves at once, and under load the batches grow while the previous one is in flight.
/// </summary>
[Alias("CityArray.IDashboardPushGrain")]
public interface IDashboardPushGrain : IGrainWithIntegerKey
{
    /// <summary>Queues a sign's dashboard event (returns at once; delivery is best effort, in order per gateway).</summary>
    [Alias("Publish")]
    Task PublishAsync(DashboardEvent e);
}
