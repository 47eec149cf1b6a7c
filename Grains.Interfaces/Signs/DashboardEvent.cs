using CityArray.Grains.Interfaces.Messages;

namespace CityArray.Grains.Interfaces.Signs;

/// <summary>
/// One event on the fleet-wide dashboard stream. <see cref="Type"/> is the wire message type
/// (<c>sign_update</c>, <c>sign_connected</c>, ...); the entity it is about is set, the others are null.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.DashboardEvent")]
public sealed record DashboardEvent(
    [property: Id(0)] string Type,
    [property: Id(1)] DateTimeOffset Timestamp,
    [property: Id(2)] SignView? Sign,
    [property: Id(3)] MessageNotice? Message = null)
{
    public const string SignUpdate = "sign_update";
    public const string SignConnected = "sign_connected";
    public const string SignDisconnected = "sign_disconnected";
    public const string SignOffline = "sign_offline";
    public const string MessageSent = "message_sent";
    public const string MessageAck = "message_ack";
}
