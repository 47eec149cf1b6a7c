using System.Text.Json;
using CityArray.Gateway.Signs;
using CityArray.Grains.Interfaces.Validation;
using CityArray.Gateway.Templates;

namespace CityArray.Gateway.Messages;

/// <summary>
/// What <c>POST /api/messages</c> and <c>POST /api/overrides</c> share: the content (<c>text</c>, or <c>template_id</c> +
/// <c>variables</c> in a <c>language</c>) and the sign target (<c>sign_ids</c>, <c>zone</c> or <c>all:true</c>).
/// </summary>
public abstract record SignContentRequest(
    string? Text,
    string? TemplateId,
    Dictionary<string, JsonElement>? Variables,
    string? Language,
    string[]? SignIds,
    string? Zone,
    bool? All)
{
    /// <summary>Throws unless exactly one target is given and it is valid (<paramref name="area"/>: null where areas are not accepted, else whether one was given).</summary>
    protected void CheckTarget(bool? area) => SignTargetRules.CheckTarget(SignIds, Zone, All, area);

    /// <summary>Throws unless exactly one of <c>text</c> or <c>template_id</c> is given and the language is known.</summary>
    protected void CheckContent() => SignTargetRules.CheckContent(Text, TemplateId, Language);

    /// <summary>The text to show: <c>text</c> itself, or the template rendered by the catalog grain (which throws naming the bad field).</summary>
    public Task<string> ResolveTextAsync(IClusterClient cluster) =>
        TemplateVariables.ResolveTextAsync(cluster, Text, TemplateId, Variables, Language);

    /// <summary>
    /// Throws a <see cref="RequestException"/> naming the first bad field unless the whole request
    /// is valid at <paramref name="now"/> within <paramref name="limits"/> (its text may still fail to render).
    /// </summary>
    public abstract void Validate(DateTimeOffset now, InputLimits limits);

    /// <summary>
    /// The shape both POSTs share: validate, render the text, then <paramref name="send"/> it to the grain and answer 201 at
    /// <paramref name="location"/> with the grain's report (a bad request or text throws, and becomes a 400 naming the field).
    /// </summary>
    public async Task<IResult> SendAsync<TReport>(IClusterClient cluster, DateTimeOffset now, InputLimits limits, string location, Func<string, Task<TReport>> send)
    {
        Validate(now, limits);
        var text = await ResolveTextAsync(cluster);
        return Results.Created(location, await send(text));
    }

    /// <summary>The listed sign ids without repeats, or null.</summary>
    protected string[]? DistinctSignIds => SignIds?.Distinct(StringComparer.Ordinal).ToArray();

    /// <summary><c>true</c> for <c>all:true</c>, else null (<c>all:false</c> is no target).</summary>
    protected bool? AllOrNull => All == true ? true : null;
}
