namespace CityArray.Grains.Interfaces.Submissions;

/// <summary>
/// The submission rate limit of one client, keyed by a client key such as <c>ip:203.0.113.7</c> (or <c>phone:+57...</c> for SMS),
/// so it holds across gateways: at most N submissions in a sliding window.
/// </summary>
[Alias("CityArray.ISubmissionRateGrain")]
public interface ISubmissionRateGrain : IGrainWithStringKey
{
    /// <summary>Counts one submission if the client is under its limit; otherwise says how long until it may submit again.</summary>
    [Alias("TryAcquire")]
    Task<RateDecision> TryAcquireAsync();
}
