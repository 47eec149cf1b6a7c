namespace CityArray.Grains.Interfaces.Validation;

/// <summary>Makes ids for users, events and collectibles: 32 lower-case hex characters.</summary>
public static class CivicIds
{
    public static string New() => EntityIds.NewCivic();
}
