using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Gateway.Infrastructure.WebSockets;

/// <summary>The contract's WebSocket error: <c>{"type":"error","code","message","in_reply_to"}</c>.</summary>
public sealed record ErrorMessage(string Code, string Message, string? InReplyTo)
{
    public string Type => "error";

    /// <summary>
    /// The socket form of a <see cref="RequestException"/> (the one error model; its problem-document form is
    /// <see cref="Problems.From"/>): a civic error keeps its code, any other gets the code of its status.
    /// </summary>
    public static ErrorMessage From(RequestException e, string? inReplyTo) => new(e switch
    {
        CivicException civic => civic.Code,
        { Status: 404 } => CivicErrors.NotFound,
        { Status: 403 } => CivicErrors.Forbidden,
        { Status: 409 } => CivicErrors.Conflict,
        { Status: 429 } => CivicErrors.RateLimited,
        _ => CivicErrors.Invalid,
    }, e.Message, inReplyTo);
}
