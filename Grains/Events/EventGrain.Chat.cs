using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Grains.Events;

/// <summary>Chat: rate-limited messages from participants, published on the event stream.</summary>
public sealed partial class EventGrain
{
    public async Task<EventNotification> ChatAsync(string userId, string message)
    {
        await ExpireIfDueAsync();
        EnsureExists();
        if (!IsActive) throw new CivicException(CivicErrors.Conflict, "event has ended");
        CivicException.ThrowIfInvalid("message", CivicValidation.ChatMessage(message));
        if (!S.Participants.Contains(userId))
            throw new CivicException(CivicErrors.Forbidden, "only participants can chat: join the event first", "user_id");

        var now = clock.GetUtcNow();
        if (!_chatTimes.TryGetValue(userId, out var times)) _chatTimes[userId] = times = new Queue<DateTimeOffset>();
        while (times.Count > 0 && now - times.Peek() >= Options.ChatWindow) times.Dequeue();
        if (times.Count >= Options.ChatMessagesPerWindow)
            throw new CivicException(CivicErrors.RateLimited,
                $"too many messages: at most {Options.ChatMessagesPerWindow} every {Options.ChatWindow.TotalSeconds:0.#} s");
        times.Enqueue(now);

        var notification = new EventNotification(EventNotification.ChatMessage, EventId, now, UserId: userId, Message: message.Trim());
        await PublishAsync(notification);
        return notification;
    }
}
