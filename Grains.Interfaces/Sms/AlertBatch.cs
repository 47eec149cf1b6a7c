namespace CityArray.Grains.Interfaces.Sms;

/// <summary>What one paced batch of an alert did: requests made to Twilio, and whether nothing is left to send.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.AlertBatch")]
public sealed record AlertBatch(
    [property: Id(0)] int Requests,
    [property: Id(1)] bool Done);
