using CityArray.Grains.Interfaces.Submissions;

namespace CityArray.Grains.Submissions;

/// <summary>
/// The moderation queue (key 0, state <c>submission-queue</c>): submission ids by status, oldest first. Submission grains
/// file themselves here after each change; the queue reads them back only through their always-interleaved
/// <see cref="ISubmissionGrain.GetAsync"/>, so a submission waiting on the queue never deadlocks with it.
/// </summary>
public sealed class SubmissionQueueGrain(
    [PersistentState("submission-queue", StorageNames.Grains)] IPersistentState<SubmissionQueueState> state)
    : Grain, ISubmissionQueueGrain
{
    private SubmissionQueueState S => state.State;

    public async Task SetStatusAsync(string submissionId, string status)
    {
        var had = S.StatusOf.TryGetValue(submissionId, out var current);
        if (had && current == status) return;
        var oldIndex = had ? S.ByStatus[current!].IndexOf(submissionId) : -1;
        if (had) S.ByStatus[current!].RemoveAt(oldIndex);
        if (!S.ByStatus.TryGetValue(status, out var ids)) S.ByStatus[status] = ids = [];
        ids.Add(submissionId);
        S.StatusOf[submissionId] = status;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Roll back so memory never shows what storage does not hold; the submission retries on its next save.
            ids.RemoveAt(ids.Count - 1);
            if (had)
            {
                S.ByStatus[current!].Insert(oldIndex, submissionId);
                S.StatusOf[submissionId] = current!;
            }
            else S.StatusOf.Remove(submissionId);
            throw;
        }
    }

    public async Task ForgetAsync(string submissionId)
    {
        if (!S.StatusOf.TryGetValue(submissionId, out var status)) return;
        var index = S.ByStatus[status].IndexOf(submissionId);
        S.ByStatus[status].RemoveAt(index);
        S.StatusOf.Remove(submissionId);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            S.ByStatus[status].Insert(index, submissionId);
            S.StatusOf[submissionId] = status;
            throw;
        }
    }

    public Task<IReadOnlyList<string>> ListAsync(string status, int limit) =>
        Task.FromResult<IReadOnlyList<string>>(S.ByStatus.TryGetValue(status, out var ids) ? ids.Take(limit).ToArray() : []);

    public async Task<IReadOnlyList<SubmissionView>> ListViewsAsync(string status, int limit)
    {
        var ids = S.ByStatus.TryGetValue(status, out var filed) ? filed.Take(limit).ToArray() : [];
        var views = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<ISubmissionGrain>(id).GetAsync()));
        return views.Where(v => v?.Status == status).Select(v => v!).ToArray();
    }
}
