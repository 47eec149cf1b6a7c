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

    /// <summary>Removes a template; false when its id is unknown.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync(string id);
}
