namespace CityArray.Grains.Interfaces.Templates;

/// <summary>Every message template, durably (one instance, key 0); the contract's defaults are created once, on first use.</summary>
[Alias("CityArray.ITemplateCatalogGrain")]
public interface ITemplateCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>Every template, sorted by id.</summary>
    [Alias("GetAll"), ReadOnly]
    Task<IReadOnlyList<MessageTemplate>> GetAllAsync();

    /// <summary>One template, or null.</summary>
    [Alias("Get"), ReadOnly]
    Task<MessageTemplate?> GetAsync(string id);

    /// <summary>Adds a template; false when its id is taken.</summary>
    [Alias("Create")]
    Task<bool> CreateAsync(MessageTemplate template);

    /// <summary>Replaces a template; false when its id is unknown.</summary>
    [Alias("Update")]
    Task<bool> UpdateAsync(MessageTemplate template);

    /// <summary>
    /// Checks and adds a template made from <paramref name="edit"/> under <paramref name="id"/> (null: a fresh <c>tpl-</c> id):
    /// <see cref="TemplateOutcome.Created"/> or <see cref="TemplateOutcome.Conflict"/>; a rule broken throws a 400
    /// <see cref="Validation.RequestException"/> naming the field.
    /// </summary>
    [Alias("Add")]
    Task<TemplateChange> AddAsync(string? id, TemplateEdit edit);

    /// <summary>
    /// Applies a partial edit to the stored template in one turn (fields left null keep their value), so two concurrent
    /// edits of different fields both hold: <see cref="TemplateOutcome.Updated"/> or <see cref="TemplateOutcome.NotFound"/>;
    /// a rule broken throws a 400 <see cref="Validation.RequestException"/> naming the field.
    /// </summary>
    [Alias("Edit")]
    Task<TemplateChange> EditAsync(string id, TemplateEdit edit);

    /// <summary>
    /// Fills template <paramref name="id"/>'s placeholders in <paramref name="language"/> (<c>en</c> by default). A null
    /// variable value stands for one that was not a string, number or boolean; values are at most 500 characters. Bad
    /// variables or language, or a text longer than <see cref="Validation.InputLimits.MaxRenderedText"/>, throw a 400
    /// <see cref="Validation.RequestException"/> naming the field; an unknown id is <see cref="TemplateOutcome.NotFound"/>.
    /// </summary>
    [Alias("Render"), ReadOnly]
    Task<TemplateRendering> RenderAsync(string id, IReadOnlyDictionary<string, string?>? variables, string? language);

    /// <summary>Removes a template; false when its id is unknown.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync(string id);
}
