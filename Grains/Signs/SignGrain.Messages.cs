using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Signs;
using Microsoft.Extensions.Logging;

namespace CityArray.Grains.Signs;

/// <summary>The sign's durable message queue: enqueue, push when connected, replay in order on connect, ack.</summary>
public sealed partial class SignGrain
{
    public async Task<DateTimeOffset?> EnqueueAsync(SignMessage message)
    {
        var q = _queue.State;
        if (message.IsExpired(Now)) return null;
        if (q.Pending.Any(m => m.MessageId == message.MessageId) || q.RecentAcks.Contains(message.MessageId)) return null;
        q.Pending.Add(message);
        // Expired messages go first; past the cap the oldest unacked message gives way, so a sign that stays away
        // for long still catches up in one replay that fits its socket's send queue.
        q.Pending.RemoveAll(m => m.IsExpired(Now));
        if (q.Pending.Count > PendingMessagesKept)
        {
            _logger.LogWarning("Sign {SignId} has over {Cap} unacked messages; dropping the oldest, {MessageId}",
                SignId, PendingMessagesKept, q.Pending[0].MessageId);
            q.Pending.RemoveAt(0);
        }
        if (_connectionId is null)
        {
            await _queue.WriteStateAsync();
            return null;
        }
        q.Display = new SignDisplay("message", message.MessageId, message.Text, Now);
        await _queue.WriteStateAsync();
        var sentAt = await PushAsync(message) ? Now : (DateTimeOffset?)null;
        // What the sign shows changed: dashboards (the console's "showing now") see it soon, coalesced with heartbeats
        // (at most one sign_update per interval per sign however many messages are pushed).
        await PublishSoonAsync();
        return sentAt;
    }

    public async Task<string?> AckAsync(string messageId)
    {
        var q = _queue.State;
        if (q.RecentAcks.Contains(messageId)) return AckedItem.Message;
        var index = q.Pending.FindIndex(m => m.MessageId == messageId);
        if (index < 0) return await AckOverrideAsync(messageId);
        q.Pending.RemoveAt(index);
        q.RecentAcks.Add(messageId);
        if (q.RecentAcks.Count > RecentAcksKept) q.RecentAcks.RemoveAt(0);
        await _queue.WriteStateAsync();
        await PublishAsync(DashboardEvent.MessageAck, new MessageNotice(messageId, null, null, null, SignId));
        return AckedItem.Message;
    }

    private const int AckedBroadcastsPruneAt = 100;

    public async Task AckBroadcastAsync(SignMessage message)
    {
        var q = _queue.State;
        if (q.AckedBroadcasts.Contains(message.MessageId)) return;
        q.AckedBroadcasts.Add(message.MessageId);
        // Ids of broadcasts that left the registry are never replayed again: forget them once the list grows (bounded either
        // way). Only past a hundred ids, so a copy of the registry a moment stale rarely forgets a fresh ack (which would at
        // worst replay that message once more: delivery is at least once).
        var registry = _registry.Current;
        if (registry.Version >= 0 && q.AckedBroadcasts.Count > AckedBroadcastsPruneAt)
        {
            var active = registry.ActiveBroadcasts.Select(b => b.Message.MessageId).ToHashSet(StringComparer.Ordinal);
            q.AckedBroadcasts.RemoveAll(id => id != message.MessageId && !active.Contains(id) && !q.Pending.Any(m => m.MessageId == id));
        }
        if (q.AckedBroadcasts.Count > AckedBroadcastsKept) q.AckedBroadcasts.RemoveRange(0, q.AckedBroadcasts.Count - AckedBroadcastsKept);
        if (q.Display?.Since is not { } since || since <= message.CreatedAt)
            q.Display = new SignDisplay("message", message.MessageId, message.Text, message.CreatedAt);
        await _queue.WriteStateAsync();
        await PublishAsync(DashboardEvent.MessageAck, new MessageNotice(message.MessageId, null, null, null, SignId));
    }

    /// <summary>
    /// An ack for an override or a broadcast message the gateway did not know yet (it had not caught up with the registry):
    /// what the registry knows it as, or null when it is neither.
    /// </summary>
    private async Task<string?> AckOverrideAsync(string overrideId)
    {
        var registry = await _registry.GetAsync(GrainFactory);
        if (registry.ActiveBroadcasts.FirstOrDefault(b => b.Message.MessageId == overrideId) is { } broadcast)
        {
            await AckBroadcastAsync(broadcast.Message);
            return AckedItem.Message;
        }
        return registry.Active.Concat(registry.RecentlyEnded).Any(a => a.Override.OverrideId == overrideId) ? AckedItem.Override : null;
    }

    /// <summary>The unacked, unexpired messages in order, for the gateway to send after a connect; drops expired ones.</summary>
    private async Task<IReadOnlyList<SignMessage>> ReplayAsync()
    {
        var q = _queue.State;
        if (q.Pending.Count == 0) return [];
        var expired = q.Pending.RemoveAll(m => m.IsExpired(Now));
        // Since = when the last replayed message was created, so a broadcast created later (replayed by the gateway after it) is shown instead.
        if (q.Pending.Count > 0) q.Display = new SignDisplay("message", q.Pending[^1].MessageId, q.Pending[^1].Text, q.Pending[^1].CreatedAt);
        if (expired > 0 || q.Pending.Count > 0) await _queue.WriteStateAsync();
        foreach (var message in q.Pending) _ = GrainFactory.GetGrain<IMessageGrain>(message.MessageId).ReportSentAsync(SignId, Now);
        return q.Pending.ToArray();
    }

    private Task<bool> PushAsync(SignMessage message) => SendAsync(new SignCommand(SignCommand.NewMessage, Message: message));
}
