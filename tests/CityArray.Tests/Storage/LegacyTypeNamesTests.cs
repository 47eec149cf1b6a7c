using CityArray.Grains.Interfaces.Collectibles;
using CityArray.Grains.Users;
using CityArray.Silo.Storage.Serialization;

namespace CityArray.Tests.Storage;

/// <summary>Legacy JSON rows written before the civic types moved namespace still name real types after the rewrite.</summary>
public sealed class LegacyTypeNamesTests
{
    [Fact]
    public void Old_civic_type_names_in_a_legacy_row_become_the_current_ones()
    {
        var json = """
            {"$type":"CityArray.Grains.Civic.UserState, CityArray.Grains","Collectibles":{"$type":"System.Collections.Generic.List`1[[CityArray.Grains.Interfaces.Civic.CollectibleView, CityArray.Grains.Interfaces]], System.Private.CoreLib","$values":[]},"Name":"CityArray.Grains.Civic.Unknown"}
            """;

        var rewritten = LegacyTypeNames.Rewrite(BinaryData.FromString(json)).ToString();

        Assert.Contains($"\"{typeof(UserState).FullName}, CityArray.Grains\"", rewritten);
        Assert.Contains($"[{typeof(CollectibleView).FullName}, CityArray.Grains.Interfaces]", rewritten);
        Assert.NotNull(Type.GetType("CityArray.Grains.Users.UserState, CityArray.Grains"));
        Assert.Contains("CityArray.Grains.Civic.Unknown", rewritten); // a name that never moved is left alone
        Assert.DoesNotContain("Grains.Civic.UserState", rewritten);
    }

    [Fact]
    public void A_row_without_old_names_is_returned_unchanged()
    {
        var data = BinaryData.FromString("""{"$type":"CityArray.Grains.Users.UserState, CityArray.Grains"}""");
        Assert.Same(data, LegacyTypeNames.Rewrite(data));
    }
}
