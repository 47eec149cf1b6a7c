namespace CityArray.Grains.Interfaces.Submissions;

/// <summary>
/// Where every new submission enters (a stateless worker, key 0), whichever way it came (web form or SMS): checks its
/// content, counts it against its sender's rate limit, gives it an id and records it as pending.
/// </summary>
[Alias("CityArray.ISubmissionIntakeGrain")]
public interface ISubmissionIntakeGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// The content is checked first (a refused submission does not count against the limit), then the sender's limit,
    /// then the submission is created under a fresh <c>sub-</c> id.
    /// </summary>
    [Alias("Submit")]
    Task<SubmissionReceipt> SubmitAsync(SubmissionInput input);
}
