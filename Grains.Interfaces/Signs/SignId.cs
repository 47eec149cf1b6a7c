using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Grains.Interfaces.Signs;

/// <summary>The rule for sign ids: the one id rule (<see cref="EntityId"/>).</summary>
public static class SignId
{
    /// <summary>Null when <paramref name="id"/> is a valid sign id, else the reason it is not.</summary>
    public static string? Validate(string? id) => EntityId.Validate(id, "sign id");
}
