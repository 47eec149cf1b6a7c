using CityArray.Grains.Interfaces.Messages;

namespace CityArray.Grains.Interfaces.Signs;

/// <summary>
/// The channel from the cluster to one gateway (a grain observer the gateway registers with
/// <see cref="IGatewayDirectoryGrain"/>). Overrides and their ends come from the override grain, awaited one after the
/// other, so they reach a gateway in order; the gateway decides coverage and what each sign is sent on connect from its
/// own copy of the registry under one lock, so a cancel can never overtake its override.
/// </summary>
[Alias("CityArray.IGatewayObserver")]
public interface IGatewayObserver : IGrainObserver
{
    /// <summary>An override became active: send it to the covered signs held here.</summary>
    [Alias("OverrideStarted")]
    Task OverrideStartedAsync(ActiveOverride value);

    /// <summary>An override ended: tell the signs held here that show it (then what they show next).</summary>
    [Alias("OverrideEnded")]
    Task OverrideEndedAsync(ActiveOverride value);

    /// <summary>A message to <c>all</c> or a zone was sent: push it to the covered signs held here (and replay it on connect).</summary>
    [Alias("MessageStarted")]
    Task MessageStartedAsync(ActiveBroadcast value);

    /// <summary>A broadcast message left the registry (acked by every covered sign, expired, or given way): stop replaying it.</summary>
    [Alias("MessageEnded")]
    Task MessageEndedAsync(string messageId);

    /// <summary>A command for one sign held here (<c>new_message</c>, <c>request_status</c>, <c>connection_replaced</c>).</summary>
    [Alias("SignCommand")]
    Task<bool> SignCommandAsync(string signId, SignCommand command);

    /// <summary>
    /// The grain activation that holds this sign's connection is going away (a duplicate after a silo died, a silo shutting
    /// down, a migration): the gateway connects the sign to its grain again, or the next activation would not know its socket.
    /// </summary>
    [Alias("SignUnbound"), OneWay]
    Task SignUnboundAsync(string signId, string connectionId);

    /// <summary>A sign's zone or coordinates changed: its coverage is evaluated again.</summary>
    [Alias("SignProfileChanged")]
    Task SignProfileChangedAsync(SignProfile profile);

    /// <summary>Sign events for the dashboards held here, in the order their silo took them (from <see cref="IDashboardPushGrain"/>).</summary>
    [Alias("DashboardEvents")]
    Task DashboardEventsAsync(DashboardEvent[] events);
}
