namespace CityArray.Gateway.Infrastructure.WebSockets;

/// <summary>The contract's WebSocket error: <c>{"type":"error","code","message","in_reply_to"}</c>.</summary>
public sealed record ErrorMessage(string Code, string Message, string? InReplyTo)
{
    public string Type => "error";
}
