using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Signs;
using Microsoft.Extensions.Logging;

namespace CityArray.Grains.Messages;

/// <summary>
/// One message. It is stored (every delivery <c>queued</c>) before any sign sees it, then queued on the covered
/// signs in parallel batches; signs report <c>sent</c> / <c>acked</c> back one-way, so neither side waits on the other.
/// </summary>
public sealed class MessageGrain(
    [PersistentState("message", StorageNames.Grains)] IPersistentState<MessageState> state,
    CityArrayClock clock,
    ILogger<MessageGrain> logger)
    : Grain, IMessageGrain
{
    private MessageState S => state.State;

    public async Task<MessageReport> SendAsync(SignMessage message, MessageTarget target, string? language)
    {
        if (S.Message is null)
        {
            var covered = await SignFanOut.ResolveAsync(GrainFactory, target.SignIds, target.Zone, target.All);
            S.Message = message;
            S.Target = target;
            S.Language = language;
            foreach (var id in covered) S.Deliveries[id] = new MessageDelivery(id, DeliveryState.Queued, null, null);
            await state.WriteStateAsync();
        }
        else if (S.Queued)
        {
            return Report();
        }

        // Queuing is idempotent per sign, so a send that failed part-way is finished by the next call.
        var stored = S.Message;
        var signIds = S.Deliveries.Keys.ToArray();
        var sentAt = await SignFanOut.CallAsync(signIds, id => GrainFactory.GetGrain<ISignGrain>(id).EnqueueAsync(stored));
        for (var i = 0; i < signIds.Length; i++)
            if (sentAt[i] is { } at) S.Deliveries[signIds[i]] = S.Deliveries[signIds[i]].Sent(at);
        S.Queued = true;
        await state.WriteStateAsync();
        await PublishSentAsync(stored, signIds.Length);
        return Report();
    }

    public Task<MessageReport?> GetAsync() => Task.FromResult(S.Message is null ? null : Report());

    public Task ReportSentAsync(string signId, DateTimeOffset at) => UpdateAsync(signId, d => d.Sent(at));

    public Task ReportAckedAsync(string signId, DateTimeOffset at) => UpdateAsync(signId, d => d.Acked(at));

    private async Task UpdateAsync(string signId, Func<MessageDelivery, MessageDelivery> change)
    {
        if (!S.Deliveries.TryGetValue(signId, out var delivery)) return;
        var updated = change(delivery);
        if (updated == delivery) return;
        S.Deliveries[signId] = updated;
        await state.WriteStateAsync();
    }

    private Task PublishSentAsync(SignMessage message, int recipients) =>
        this.PublishAsync(new DashboardEvent(DashboardEvent.MessageSent, clock.GetUtcNow(), null,
            new MessageNotice(message.MessageId, message.Text, message.Priority, recipients, null)), logger);

    private MessageReport Report()
    {
        var m = S.Message!;
        return new MessageReport(m.MessageId, m.Text, m.TemplateId, S.Language, m.Priority, m.DisplaySeconds, m.ExpiresAt,
            m.CreatedAt, S.Target!, S.Deliveries.Values.ToArray());
    }
}
