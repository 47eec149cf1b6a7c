using CityArray.Grains.Interfaces.Sms;

namespace CityArray.Grains.Sms;

/// <summary>Stored state of a <see cref="PhoneAlertGrain"/>.</summary>
[GenerateSerializer, Alias("CityArray.PhoneAlertState")]
public sealed class PhoneAlertState
{
    [Id(0)] public AlertDraft? Draft { get; set; }
    [Id(1)] public DateTimeOffset CreatedAt { get; set; }
    [Id(2)] public List<RecipientState> Recipients { get; set; } = [];
}

/// <summary>One recipient's stored delivery state.</summary>
[GenerateSerializer, Alias("CityArray.PhoneAlertRecipientState")]
public sealed class RecipientState
{
    [Id(0)] public string To { get; set; } = "";
    [Id(1)] public string Status { get; set; } = RecipientStatus.Pending;
    [Id(2)] public string? ErrorCode { get; set; }
    [Id(3)] public string? Sid { get; set; }
    [Id(4)] public int Attempts { get; set; }
    [Id(5)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>A pending recipient is not tried before this (after a retryable refusal).</summary>
    [Id(6)] public DateTimeOffset? NotBefore { get; set; }
}
