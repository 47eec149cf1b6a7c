using Orleans.Concurrency;
using CityArray.Grains.Interfaces;
using CityArray.Grains.Interfaces.Submissions;

namespace CityArray.Grains.Submissions;

/// <summary>
/// The one way in for new submissions (see <see cref="ISubmissionIntakeGrain"/>): <see cref="SubmissionContent"/> rules,
/// then <see cref="ISubmissionRateGrain"/>, then <see cref="ISubmissionGrain.CreateAsync"/>.
/// </summary>
[StatelessWorker]
[Reentrant] // holds no state: a call waiting on its downstream grain must not hold one of the few local workers
public sealed class SubmissionIntakeGrain(CityArrayClock clock) : Grain, ISubmissionIntakeGrain
{
    public async Task<SubmissionReceipt> SubmitAsync(SubmissionInput input)
    {
        // Content that breaks a rule throws (a RequestException naming the field), before anything is counted or stored.
        var draft = SubmissionContent.Draft(input.Name, input.Text, input.Contact, input.Zone, input.Source, clock.GetUtcNow());
        var rate = await GrainFactory.GetGrain<ISubmissionRateGrain>(input.ClientKey).TryAcquireAsync();
        if (!rate.Allowed) return new SubmissionReceipt(null, RetryAfter: rate.RetryAfter);
        var id = input.SubmissionId ?? EntityIds.NewSubmission();
        return new SubmissionReceipt(await GrainFactory.GetGrain<ISubmissionGrain>(id).CreateAsync(draft));
    }
}
