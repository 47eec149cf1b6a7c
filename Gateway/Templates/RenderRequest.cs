using System.Text.Json;

namespace CityArray.Gateway.Templates;

/// <summary>Body of <c>POST /api/templates/{id}/render</c>: the variables and an optional language (<c>en</c> or <c>es</c>).</summary>
public sealed record RenderRequest(Dictionary<string, JsonElement>? Variables, string? Language);
