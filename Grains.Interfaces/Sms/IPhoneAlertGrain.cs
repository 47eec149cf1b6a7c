namespace CityArray.Grains.Interfaces.Sms;

/// <summary>
/// One phone alert (SMS or voice; key = alert id). Its recipients are resolved and stored at creation; the
/// <see cref="ISmsDispatcherGrain"/> drains them at Twilio's pace. Each recipient is recorded as <c>sending</c> before
/// its request, so a number never gets the same alert twice, even across a restart.
/// </summary>
[Alias("CityArray.IPhoneAlertGrain")]
public interface IPhoneAlertGrain : IGrainWithStringKey
{
    /// <summary>Records the alert and its recipients (opted-out numbers are kept as <c>opted_out</c>); idempotent.</summary>
    [Alias("Create")]
    Task<AlertView> CreateAsync(AlertDraft draft);

    /// <summary>The alert, or null if none has this id.</summary>
    [Alias("Get"), ReadOnly]
    Task<AlertView?> GetAsync();

    /// <summary>Sends to at most <paramref name="budget"/> due recipients (the dispatcher's pace).</summary>
    [Alias("SendBatch")]
    Task<AlertBatch> SendBatchAsync(int budget);

    /// <summary>A Twilio status callback for recipient <paramref name="recipient"/>; false if there is no such recipient.</summary>
    [Alias("ReportStatus")]
    Task<bool> ReportStatusAsync(int recipient, string twilioStatus, string? errorCode, string? sid);
}
