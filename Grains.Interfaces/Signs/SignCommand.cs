using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Overrides;

namespace CityArray.Grains.Interfaces.Signs;

/// <summary>
/// Something the server tells one connected sign, carried on the sign's command stream to whichever
/// gateway holds its socket. <see cref="Type"/> is the wire message type.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.SignCommand")]
public sealed record SignCommand(
    [property: Id(0)] string Type,
    [property: Id(1)] string? ConnectionId = null,
    [property: Id(2)] SignMessage? Message = null,
    [property: Id(3)] SignOverride? Override = null)
{
    /// <summary>A message for the sign to display (<see cref="Message"/> is set).</summary>
    public const string NewMessage = "new_message";

    /// <summary>An override for the sign to display instead of messages (<see cref="Override"/> is set).</summary>
    public const string OverrideOn = "override";

    /// <summary>The override <see cref="Override"/> no longer applies; the sign resumes normal operation.</summary>
    public const string OverrideCancelled = "override_cancelled";

    /// <summary>The sign should send a heartbeat now.</summary>
    public const string RequestStatus = "request_status";

    /// <summary>Internal: a newer connection of the same sign took over; the gateway closes the older socket.</summary>
    public const string ConnectionReplaced = "connection_replaced";
}
