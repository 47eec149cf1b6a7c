using CityArray.Grains.Interfaces.Templates;

namespace CityArray.Grains.Templates;

/// <summary>
/// Holds every template. The defaults are written once, together with the <c>Seeded</c> flag in the same state,
/// so restarts and several silos never duplicate them and operator edits and deletes survive.
/// </summary>
public sealed class TemplateCatalogGrain(
    [PersistentState("template-catalog", StorageNames.Grains)] IPersistentState<TemplateCatalogState> state,
    TimeProvider clock)
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
        if (!Templates.TryAdd(template.Id, template)) return false;
        await state.WriteStateAsync();
        return true;
    }

    public async Task<bool> UpdateAsync(MessageTemplate template)
    {
        if (!Templates.ContainsKey(template.Id)) return false;
        Templates[template.Id] = template;
        await state.WriteStateAsync();
        return true;
    }

    public async Task<bool> DeleteAsync(string id)
    {
        if (!Templates.Remove(id)) return false;
        await state.WriteStateAsync();
        return true;
    }
}
