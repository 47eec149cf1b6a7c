namespace CityArray.Gateway.Alerts;

/// <summary>
/// The answer to <c>POST /api/alerts/cap</c>: the alert (<c>cap_identifier</c>, <c>sender</c>, CAP <c>msg_type</c> and
/// <c>cap_status</c>), what CityArray holds for it (<c>status</c>: <c>active</c>, <c>cancelled</c>, <c>replaced</c>, or
/// <c>not_displayed</c> / <c>acknowledged</c> when nothing was shown), the overrides it raised, and for Update/Cancel
/// the earlier alerts it ended and their cancelled overrides.
/// </summary>
public sealed record CapAlertResponse(
    string CapIdentifier,
    string Sender,
    string MsgType,
    string CapStatus,
    string Status,
    IReadOnlyList<string> OverrideIds,
    IReadOnlyList<string>? Ended = null,
    IReadOnlyList<string>? CancelledOverrideIds = null,
    string? Note = null);
