using CityArray.Grains.Interfaces.Messages;
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
        await PushAsync(message);
        return Now;
    }

    public async Task<bool> AckAsync(string messageId)
    {
        if (_overrides.State.Active.Any(o => o.OverrideId == messageId)) return await AckOverrideAsync(messageId);
        var q = _queue.State;
        if (q.RecentAcks.Contains(messageId)) return true;
        var index = q.Pending.FindIndex(m => m.MessageId == messageId);
        if (index < 0) return false;
        q.Pending.RemoveAt(index);
        q.RecentAcks.Add(messageId);
        if (q.RecentAcks.Count > RecentAcksKept) q.RecentAcks.RemoveAt(0);
        await _queue.WriteStateAsync();
        var at = Now;
        await GrainFactory.GetGrain<IMessageGrain>(messageId).ReportAckedAsync(SignId, at);
        await PublishAsync(DashboardEvent.MessageAck, new MessageNotice(messageId, null, null, null, SignId));
        return true;
    }

    /// <summary>Sends every unacked, unexpired message in order to the sign that just connected; drops expired ones.</summary>
    private async Task ReplayAsync()
    {
        var q = _queue.State;
        if (q.Pending.Count == 0) return;
        var expired = q.Pending.RemoveAll(m => m.IsExpired(Now));
        if (q.Pending.Count > 0) q.Display = new SignDisplay("message", q.Pending[^1].MessageId, q.Pending[^1].Text, Now);
        if (expired > 0 || q.Pending.Count > 0) await _queue.WriteStateAsync();
        foreach (var message in q.Pending)
        {
            await PushAsync(message);
            await GrainFactory.GetGrain<IMessageGrain>(message.MessageId).ReportSentAsync(SignId, Now);
        }
    }

    private Task PushAsync(SignMessage message) => _commands.OnNextAsync(new SignCommand(SignCommand.NewMessage, Message: message));
}
