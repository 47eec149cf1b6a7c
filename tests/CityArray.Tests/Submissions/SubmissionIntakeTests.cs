using CityArray.Grains.Interfaces.Validation;
using CityArray.Grains.Interfaces.Submissions;
using CityArray.Tests.Civic;

namespace CityArray.Tests.Submissions;

/// <summary>
/// The submission content rules where they live (<see cref="ISubmissionIntakeGrain"/>, next to the submission grain): a
/// submission by SMS and one from the web form are held to the same rules and the same per-sender limit.
/// </summary>
[Collection(CivicCollection.Name)]
public sealed class SubmissionIntakeTests(CivicClusterFixture fixture)
{
    private ISubmissionIntakeGrain Intake => fixture.Grains.GetGrain<ISubmissionIntakeGrain>(0);

    [Theory]
    [InlineData(SubmissionSource.Web, "ip:198.51.100.7")]
    [InlineData(SubmissionSource.Sms, "phone:+573001112233")]
    public async Task Both_ways_in_share_the_content_rules(string source, string clientKey)
    {
        clientKey += Guid.NewGuid().ToString("N")[..6];
        async Task<string?> FieldOf(string? name, string? text, string? contact = null, string? zone = null) =>
            (await Assert.ThrowsAsync<RequestException>(() => Intake.SubmitAsync(new SubmissionInput(name, text, contact, zone, source, clientKey)))).Field;

        Assert.Equal("text", await FieldOf("Ana", "see www.example.com"));
        Assert.Equal("text", await FieldOf("Ana", "this is shit"));
        Assert.Equal("text", await FieldOf("Ana", "?!  ..."));
        Assert.Equal("name", await FieldOf("  ", "hello"));
        Assert.Equal("name", await FieldOf("Ana\u202E", "hello"));
        Assert.Equal("contact", await FieldOf("Ana", "hello", contact: "3001234567"));
        Assert.Equal("zone", await FieldOf("Ana", "hello", zone: "main stage"));

        var ok = await Intake.SubmitAsync(new SubmissionInput("  Ana ", " Great show! ", "+573001234567", "main-stage", source, clientKey));
        Assert.NotNull(ok.Submission);
        Assert.StartsWith("sub-", ok.Submission!.Id);
        Assert.Equal(("Ana", "Great show!", source, SubmissionStatus.Pending), (ok.Submission.Name, ok.Submission.Text, ok.Submission.Source, ok.Submission.Status));
        Assert.Equal(ok.Submission, await fixture.Grains.GetGrain<ISubmissionGrain>(ok.Submission.Id).GetAsync());
        Assert.Contains(await fixture.Grains.GetGrain<ISubmissionQueueGrain>(0).ListViewsAsync(SubmissionStatus.Pending, 500), v => v.Id == ok.Submission.Id);
    }

    [Fact]
    public async Task Refused_submissions_do_not_count_against_the_senders_limit()
    {
        var clientKey = $"phone:+57300{Random.Shared.Next(1_000_000, 9_999_999)}";
        for (var i = 0; i < 10; i++)
            Assert.Equal("text", (await Assert.ThrowsAsync<RequestException>(() => Intake.SubmitAsync(new SubmissionInput("Ana", "http://spam", null, null, SubmissionSource.Sms, clientKey)))).Field);
        for (var i = 0; i < 5; i++)
            Assert.NotNull((await Intake.SubmitAsync(new SubmissionInput("Ana", $"hello {i}", null, null, SubmissionSource.Sms, clientKey))).Submission);
        var limited = await Intake.SubmitAsync(new SubmissionInput("Ana", "one more", null, null, SubmissionSource.Web, clientKey));
        Assert.Null(limited.Submission);
        Assert.True(limited.RetryAfter > TimeSpan.Zero);
    }
}
