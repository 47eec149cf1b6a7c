using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>
/// What a sign shows as its latest message when broadcast messages (to <c>all</c> or a zone) reach it without its grain:
/// the newer of its own last message and the newest active, unexpired broadcast covering it that it has received.
/// Sign grains and the fleet snapshot use this one rule.
/// </summary>
public static class SignShown
{
    /// <summary>
    /// <paramref name="own"/> or, when newer (by creation time), the newest covering broadcast for which
    /// <paramref name="received"/> holds.
    /// </summary>
    public static SignDisplay? WithBroadcasts(SignDisplay? own, FleetRegistryView registry, SignProfile sign, DateTimeOffset now,
        Func<SignMessage, bool> received)
    {
        SignMessage? newest = null;
        foreach (var b in registry.ActiveBroadcasts)
        {
            var m = b.Message;
            if (m.IsExpired(now) || !b.Covers(sign) || (newest is not null && newest.CreatedAt >= m.CreatedAt) || !received(m)) continue;
            newest = m;
        }
        if (newest is null || own?.Id == newest.MessageId || (own?.Since is { } since && since >= newest.CreatedAt)) return own;
        return new SignDisplay("message", newest.MessageId, newest.Text, newest.CreatedAt);
    }
}
