using CityArray.Grains.Interfaces.Validation;
using CityArray.Grains.Submissions;
using CityArray.Grains.Templates;
using CityArray.Grains.Interfaces.Submissions;
using CityArray.Grains.Interfaces.Templates;
using CityArray.Tests.Civic;

namespace CityArray.Tests.Templates;

/// <summary>
/// The template catalog and the submission queue on the civic test cluster, whose storage can be told to fail a write:
/// concurrent partial edits both hold, and a failed write leaves nothing in memory that storage does not hold.
/// </summary>
[Collection(CivicCollection.Name)]
public sealed class TemplateCatalogGrainTests(CivicClusterFixture fixture)
{
    private ITemplateCatalogGrain Catalog => fixture.Grains.GetGrain<ITemplateCatalogGrain>(0);

    [Fact]
    public async Task Concurrent_edits_of_different_fields_are_both_kept()
    {
        for (var round = 0; round < 10; round++)
        {
            var id = $"concurrent-{round}-{Guid.NewGuid():N}"[..30];
            Assert.Equal(TemplateOutcome.Created, (await Catalog.AddAsync(id, new TemplateEdit("Gate", "schedule", "Gate {gate}", null))).Outcome);
            var edits = await Task.WhenAll(
                Catalog.EditAsync(id, new TemplateEdit("Renamed", null, null, null)),
                Catalog.EditAsync(id, new TemplateEdit(null, null, "Gate {gate} is open", null)),
                Catalog.EditAsync(id, new TemplateEdit(null, null, null, "La puerta {gate} está abierta")));
            Assert.All(edits, e => Assert.Equal(TemplateOutcome.Updated, e.Outcome));
            var stored = await Catalog.GetAsync(id);
            Assert.Equal(("Renamed", "schedule", "Gate {gate} is open", "La puerta {gate} está abierta"),
                (stored!.Name, stored.Category, stored.Text, stored.TextEs));
        }
    }

    [Fact]
    public async Task Add_edit_and_render_answer_with_the_rule_that_failed()
    {
        Assert.Equal("name", await FieldOf(() => Catalog.AddAsync(null, new TemplateEdit(null, "c", "t", null))));
        var created = await Catalog.AddAsync(null, new TemplateEdit("Lost child", "safety", "Child {name} is at {place}", null));
        Assert.StartsWith("tpl-", created.Template!.Id);
        Assert.Equal(16, created.Template.Id.Length);
        Assert.Equal(TemplateOutcome.Conflict, (await Catalog.AddAsync(created.Template.Id, new TemplateEdit("x", "x", "x", null))).Outcome);
        Assert.Equal(TemplateOutcome.NotFound, (await Catalog.EditAsync("no-such-template", new TemplateEdit("x", null, null, null))).Outcome);
        Assert.Equal("text", await FieldOf(() => Catalog.EditAsync(created.Template.Id, new TemplateEdit(null, null, " ", null))));

        var id = created.Template.Id;
        Assert.Equal("Child Ana is at Gate 2", (await Catalog.RenderAsync(id, new Dictionary<string, string?> { ["name"] = "Ana", ["place"] = "Gate 2" }, null)).Text);
        Assert.Equal("variables.place", await FieldOf(() => Catalog.RenderAsync(id, new Dictionary<string, string?> { ["name"] = "Ana" }, null)));
        Assert.Equal("variables.name", await FieldOf(() => Catalog.RenderAsync(id, new Dictionary<string, string?> { ["name"] = null }, null)));
        Assert.Equal("language", await FieldOf(() => Catalog.RenderAsync(id, null, "fr")));
        Assert.Equal(TemplateOutcome.NotFound, (await Catalog.RenderAsync("no-such-template", null, null)).Outcome);
    }

    [Fact]
    public async Task A_template_change_whose_write_failed_is_not_kept_in_memory()
    {
        var id = $"flaky-{Guid.NewGuid():N}"[..20];
        fixture.Storage.FailNextWrite((_, s) => s is TemplateCatalogState);
        await Assert.ThrowsAnyAsync<Exception>(() => Catalog.AddAsync(id, new TemplateEdit("Flaky", "c", "before", null)));
        Assert.Null(await Catalog.GetAsync(id));

        Assert.Equal(TemplateOutcome.Created, (await Catalog.AddAsync(id, new TemplateEdit("Flaky", "c", "before", null))).Outcome);
        fixture.Storage.FailNextWrite((_, s) => s is TemplateCatalogState);
        await Assert.ThrowsAnyAsync<Exception>(() => Catalog.EditAsync(id, new TemplateEdit(null, null, "after", null)));
        Assert.Equal("before", (await Catalog.GetAsync(id))!.Text);
        fixture.Storage.FailNextWrite((_, s) => s is TemplateCatalogState);
        await Assert.ThrowsAnyAsync<Exception>(() => Catalog.DeleteAsync(id));
        Assert.NotNull(await Catalog.GetAsync(id));
    }

    [Fact]
    public async Task A_queue_change_whose_write_failed_is_not_kept_in_memory()
    {
        var queue = fixture.Grains.GetGrain<ISubmissionQueueGrain>(0);
        var id = $"sub-flaky-{Guid.NewGuid():N}";
        await queue.SetStatusAsync(id, SubmissionStatus.Pending);

        fixture.Storage.FailNextWrite((_, s) => s is SubmissionQueueState);
        await Assert.ThrowsAnyAsync<Exception>(() => queue.SetStatusAsync(id, SubmissionStatus.Approved));
        Assert.Contains(id, await queue.ListAsync(SubmissionStatus.Pending, 500));
        Assert.DoesNotContain(id, await queue.ListAsync(SubmissionStatus.Approved, 500));

        await queue.SetStatusAsync(id, SubmissionStatus.Approved);
        Assert.DoesNotContain(id, await queue.ListAsync(SubmissionStatus.Pending, 500));
        Assert.Contains(id, await queue.ListAsync(SubmissionStatus.Approved, 500));
    }

    /// <summary>The field a refused catalog call names: its rules throw the one error model, a 400 <see cref="RequestException"/>.</summary>
    private static async Task<string?> FieldOf(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RequestException>(call);
        Assert.Equal(400, error.Status);
        return error.Field;
    }
}
