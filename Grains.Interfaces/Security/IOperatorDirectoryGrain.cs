namespace CityArray.Grains.Interfaces.Security;

/// <summary>The list of operator usernames (key 0), so admins can list accounts.</summary>
[Alias("CityArray.IOperatorDirectoryGrain")]
public interface IOperatorDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task AddAsync(string username);

    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<string>> ListAsync();
}
