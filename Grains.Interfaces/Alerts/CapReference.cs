namespace CityArray.Grains.Interfaces.Alerts;

/// <summary>One earlier alert named in <c>references</c> (<c>sender,identifier,sent</c>).</summary>
[GenerateSerializer, Immutable, Alias("CityArray.CapReference")]
public sealed record CapReference(
    [property: Id(0)] string Sender,
    [property: Id(1)] string Identifier,
    [property: Id(2)] DateTimeOffset Sent)
{
    public string Key => CapAlert.KeyOf(Sender, Identifier);
}
