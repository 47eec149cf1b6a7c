using CityArray.Gateway.Security;
using CityArray.Grains.Interfaces.Security;
using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces.Templates;

namespace CityArray.Gateway.Templates;

/// <summary>REST for message templates: <c>/api/templates</c>.</summary>
public static class TemplateEndpoints
{
    public static IEndpointRouteBuilder MapTemplateEndpoints(this IEndpointRouteBuilder app)
    {
        var templates = app.MapGroup("/api/templates").WithTags("Templates");

        templates.MapGet("/", async (IClusterClient cluster) => Results.Ok(await Catalog(cluster).GetAllAsync()))
            .RequireRole(OperatorRoles.Viewer)
            .WithSummary("Every template (17 defaults exist on first run)");

        templates.MapGet("/{id}", async (string id, IClusterClient cluster) =>
                await Catalog(cluster).GetAsync(id) is { } template ? Results.Ok(template) : Problems.NotFound("template", id))
            .RequireRole(OperatorRoles.Viewer)
            .WithSummary("One template");

        templates.MapPost("/", async (TemplateRequest body, IClusterClient cluster) =>
                await Catalog(cluster).AddAsync(body.Id, body.ToEdit()) switch
                {
                    { Outcome: TemplateOutcome.Created, Template: var t } => Results.Created($"/api/templates/{t!.Id}", t),
                    { Template: var t } => Problems.Conflict($"a template with id '{t!.Id}' already exists"),
                })
            .RequireRole(OperatorRoles.Admin)
            .WithSummary("Create a template; text and text_es may hold {placeholders}");

        templates.MapPut("/{id}", async (string id, TemplateRequest body, IClusterClient cluster) =>
            {
                if (body.Id is not null && body.Id != id) return Problems.BadRequest("id", "must match the id in the path");
                return await Catalog(cluster).EditAsync(id, body.ToEdit()) switch
                {
                    { Outcome: TemplateOutcome.Updated, Template: var t } => Results.Ok(t),
                    _ => Problems.NotFound("template", id),
                };
            })
            .RequireRole(OperatorRoles.Admin)
            .WithSummary("Update a template; fields left out keep their value");

        templates.MapDelete("/{id}", async (string id, IClusterClient cluster) =>
                await Catalog(cluster).DeleteAsync(id) ? Results.NoContent() : Problems.NotFound("template", id))
            .RequireRole(OperatorRoles.Admin)
            .WithSummary("Delete a template");

        templates.MapPost("/{id}/render", async (string id, RenderRequest body, IClusterClient cluster) =>
                await Catalog(cluster).RenderAsync(id, TemplateVariables.ToStrings(body.Variables), body.Language) switch
                {
                    { Outcome: TemplateOutcome.Rendered, Text: var text } => Results.Ok(new { template_id = id, text }),
                    _ => Problems.NotFound("template", id),
                })
            .RequireRole(OperatorRoles.Viewer)
            .WithSummary("Fill a template's placeholders with variables (language en or es)");
        return app;
    }

    private static ITemplateCatalogGrain Catalog(IClusterClient cluster) => cluster.GetGrain<ITemplateCatalogGrain>(0);
}
