using System.Text;
using System.Text.RegularExpressions;

namespace CityArray.Silo.Storage.Serialization;

/// <summary>
/// Legacy (Newtonsoft JSON) rows name their types by full CLR name in <c>$type</c>. The civic types moved from
/// <c>CityArray.Grains.Civic</c> and <c>CityArray.Grains.Interfaces.Civic</c> to one namespace per entity; this
/// rewrites those old names to the new ones before the legacy reader runs, so rows written before the move still
/// load. Current-format rows name types by their <c>[Alias]</c>, which did not change, and never pass through here.
/// </summary>
public static partial class LegacyTypeNames
{
    private static readonly Dictionary<string, string> MovedInterfaces = Map(
        ("CityArray.Grains.Interfaces.Users", "IUserGrain IPhoneRegistryGrain UserView UserStats RegistrationResult"),
        ("CityArray.Grains.Interfaces.Events", "IEventGrain EventDraft EventNotification EventStatus EventView JoinResult"),
        ("CityArray.Grains.Interfaces.Collectibles", "ICollectibleGrain ClaimResult CollectibleDrop CollectibleRarity CollectibleStatus CollectibleView"),
        ("CityArray.Grains.Interfaces.Geo", "GeoCellEntry GeoCellHit IEventSearchGrain IGeoCellGrain NearbyEvent"),
        ("CityArray.Grains.Interfaces.Validation", "CivicErrors CivicException CivicIds CivicValidation"));

    private static readonly Dictionary<string, string> MovedGrains = Map(
        ("CityArray.Grains.Users", "UserGrain UserState PhoneRegistryGrain PhoneRegistryState"),
        ("CityArray.Grains.Events", "EventGrain EventState"),
        ("CityArray.Grains.Collectibles", "CollectibleGrain CollectibleNames CollectibleState"),
        ("CityArray.Grains.Geo", "EventSearchGrain GeoCellGrain GeoCellState GeoIndex NearestSet"),
        ("CityArray.Grains.Video", "IVideoRooms NoVideoRooms"),
        ("CityArray.Grains", "CivicOptions StateWrites"));

    /// <summary><paramref name="legacyJson"/> with every moved civic type name replaced by its current one.</summary>
    public static BinaryData Rewrite(BinaryData legacyJson)
    {
        var text = legacyJson.ToString();
        if (!text.Contains(".Civic.", StringComparison.Ordinal)) return legacyJson;
        var rewritten = OldName().Replace(text, m =>
        {
            var moved = m.Groups[1].Success ? MovedInterfaces : MovedGrains;
            return moved.TryGetValue(m.Groups[2].Value, out var ns) ? $"{ns}.{m.Groups[2].Value}" : m.Value;
        });
        return new BinaryData(Encoding.UTF8.GetBytes(rewritten));
    }

    [GeneratedRegex(@"CityArray\.Grains(\.Interfaces)?\.Civic\.(\w+)")]
    private static partial Regex OldName();

    private static Dictionary<string, string> Map(params (string Namespace, string Types)[] groups) =>
        groups.SelectMany(g => g.Types.Split(' ').Select(t => (t, g.Namespace))).ToDictionary(p => p.t, p => p.Namespace);
}
