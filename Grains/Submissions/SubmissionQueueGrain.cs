using CityArray.Grains.Interfaces.Submissions;

namespace CityArray.Grains.Submissions;

/// <summary>
/// The moderation queue (key 0, state <c>submission-queue</c>): submission ids by status, oldest first. Submission grains
/// file themselves here after each change; the queue never calls them back (no call cycle).
/// </summary>
public sealed class SubmissionQueueGrain(
    [PersistentState("submission-queue", StorageNames.Grains)] IPersistentState<SubmissionQueueState> state)
    : Grain, ISubmissionQueueGrain
{
    private SubmissionQueueState S => state.State;

    public async Task SetStatusAsync(string submissionId, string status)
    {
        if (S.StatusOf.TryGetValue(submissionId, out var current))
        {
            if (current == status) return;
            S.ByStatus[current].Remove(submissionId);
        }
        if (!S.ByStatus.TryGetValue(status, out var ids)) S.ByStatus[status] = ids = [];
        ids.Add(submissionId);
        S.StatusOf[submissionId] = status;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> ListAsync(string status, int limit) =>
        Task.FromResult<IReadOnlyList<string>>(S.ByStatus.TryGetValue(status, out var ids) ? ids.Take(limit).ToArray() : []);
}
