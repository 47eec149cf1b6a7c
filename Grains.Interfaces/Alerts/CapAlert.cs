namespace CityArray.Grains.Interfaces.Alerts;

/// <summary>
/// A parsed, validated CAP 1.2 <c>alert</c> (only the parts CityArray uses), as the gateway hands it to
/// <see cref="ICapReceiverGrain"/>. Enumerations keep their CAP spelling (<c>Actual</c>, <c>Update</c>, <c>Extreme</c>...).
/// <see cref="Infos"/> is filled for <c>Alert</c> and <c>Update</c> only.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.CapAlert")]
public sealed record CapAlert(
    [property: Id(0)] string Identifier,
    [property: Id(1)] string Sender,
    [property: Id(2)] DateTimeOffset Sent,
    [property: Id(3)] string Status,
    [property: Id(4)] string MsgType,
    [property: Id(5)] string Scope,
    [property: Id(6)] IReadOnlyList<CapReference> References,
    [property: Id(7)] IReadOnlyList<CapInfo> Infos)
{
    /// <summary>The key CityArray tracks an alert by: <c>sender|identifier</c> (what CAP <c>references</c> name).</summary>
    public string Key => KeyOf(Sender, Identifier);

    public static string KeyOf(string sender, string identifier) => $"{sender}|{identifier}";
}
