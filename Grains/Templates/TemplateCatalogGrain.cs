using CityArray.Grains.Interfaces;
using CityArray.Grains.Interfaces.Templates;

namespace CityArray.Grains.Templates;

/// <summary>
/// Holds every template. The defaults are written once, together with the <c>Seeded</c> flag in the same state,
/// so restarts and several silos never duplicate them and operator edits and deletes survive.
/// </summary>
public sealed class TemplateCatalogGrain(
    [PersistentState("template-catalog", StorageNames.Grains)] IPersistentState<TemplateCatalogState> state,
    CityArrayClock clock)
    : Grain, ITemplateCatalogGrain
{
    private SortedDictionary<string, MessageTemplate> Templates => state.State.Templates;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Seeded) return;
        foreach (var template in DefaultTemplates.Create(clock.GetUtcNow())) Templates.TryAdd(template.Id, template);
        state.State.Seeded = true;
        await state.WriteStateAsync(cancellationToken);
    }

    public Task<IReadOnlyList<MessageTemplate>> GetAllAsync() =>
        Task.FromResult<IReadOnlyList<MessageTemplate>>(Templates.Values.ToArray());

    public Task<MessageTemplate?> GetAsync(string id) => Task.FromResult(Templates.GetValueOrDefault(id));

    public async Task<bool> CreateAsync(MessageTemplate template)
    {
        if (Templates.ContainsKey(template.Id)) return false;
        await PutAsync(template.Id, template);
        return true;
    }

    public async Task<bool> UpdateAsync(MessageTemplate template)
    {
        if (!Templates.ContainsKey(template.Id)) return false;
        await PutAsync(template.Id, template);
        return true;
    }

    public async Task<bool> DeleteAsync(string id)
    {
        if (!Templates.ContainsKey(id)) return false;
        await PutAsync(id, null);
        return true;
    }

    public async Task<TemplateChange> AddAsync(string? id, TemplateEdit edit)
    {
        id ??= EntityIds.NewTemplate();
        if (TemplateRules.Apply(id, edit, null, clock.GetUtcNow(), out var error) is not { } template)
            return new TemplateChange(TemplateOutcome.Invalid, null, error!.Value.Field, error.Value.Reason);
        if (Templates.ContainsKey(id)) return new TemplateChange(TemplateOutcome.Conflict, Templates[id]);
        await PutAsync(id, template);
        return new TemplateChange(TemplateOutcome.Created, template);
    }

    public async Task<TemplateChange> EditAsync(string id, TemplateEdit edit)
    {
        // Read, merge and write in one grain turn: a concurrent edit of other fields is applied before or after, never lost.
        if (!Templates.TryGetValue(id, out var current)) return new TemplateChange(TemplateOutcome.NotFound, null);
        if (TemplateRules.Apply(id, edit, current, clock.GetUtcNow(), out var error) is not { } template)
            return new TemplateChange(TemplateOutcome.Invalid, null, error!.Value.Field, error.Value.Reason);
        await PutAsync(id, template);
        return new TemplateChange(TemplateOutcome.Updated, template);
    }

    public Task<TemplateRendering> RenderAsync(string id, IReadOnlyDictionary<string, string?>? variables, string? language)
    {
        if (!Templates.TryGetValue(id, out var template)) return Task.FromResult(new TemplateRendering(TemplateOutcome.NotFound, null));
        var text = TemplateRules.Render(template, variables, language, out var error);
        return Task.FromResult(error is { } e
            ? new TemplateRendering(TemplateOutcome.Invalid, null, e.Field, e.Reason)
            : new TemplateRendering(TemplateOutcome.Rendered, text));
    }

    /// <summary>Sets (or with null removes) one template and stores the catalog; on a failed write memory goes back to what storage holds.</summary>
    private async Task PutAsync(string id, MessageTemplate? template)
    {
        var had = Templates.TryGetValue(id, out var previous);
        if (template is null) Templates.Remove(id);
        else Templates[id] = template;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            if (had) Templates[id] = previous!;
            else Templates.Remove(id);
            throw;
        }
    }
}
