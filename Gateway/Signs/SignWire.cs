using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Gateway.Signs;

/// <summary>The wire shapes of server-to-sign messages.</summary>
public static class SignWire
{
    /// <summary><c>override</c>: the override a sign shows instead of messages.</summary>
    public static object Override(SignOverride o) =>
        new { type = SignCommand.OverrideOn, o.OverrideId, o.Text, o.Severity, o.Urgency, o.Category, o.Headline, o.Instruction, o.ExpiresAt, o.CapStatus };

    /// <summary><c>override_cancelled</c>: the sign resumes normal operation.</summary>
    public static object Cancelled(SignOverride o) => new { type = SignCommand.OverrideCancelled, o.OverrideId };

    /// <summary>The message for a command from the sign's own stream.</summary>
    public static object ToMessage(SignCommand command) => command switch
    {
        { Type: SignCommand.OverrideOn, Override: { } o } => Override(o),
        { Override: { } cancelled } => new { type = command.Type, cancelled.OverrideId },
        { Message: { } m } => new { type = command.Type, m.MessageId, m.Text, m.TemplateId, m.Priority, m.DisplaySeconds, m.ExpiresAt },
        _ => new { type = command.Type },
    };
}
