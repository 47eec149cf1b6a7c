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

        templates.MapPost("/", async (TemplateRequest body, IClusterClient cluster, TimeProvider clock) =>
            {
                var id = body.Id ?? $"tpl-{Guid.NewGuid():N}"[..16];
                if (body.ToTemplate(id, null, clock.GetUtcNow(), out var error) is not { } template)
                    return Problems.BadRequest(error!.Value.Field, error.Value.Reason);
                return await Catalog(cluster).CreateAsync(template)
                    ? Results.Created($"/api/templates/{id}", template)
                    : Problems.Conflict($"a template with id '{id}' already exists");
            })
            .RequireRole(OperatorRoles.Admin)
            .WithSummary("Create a template; text and text_es may hold {placeholders}");

        templates.MapPut("/{id}", async (string id, TemplateRequest body, IClusterClient cluster, TimeProvider clock) =>
            {
                if (body.Id is not null && body.Id != id) return Problems.BadRequest("id", "must match the id in the path");
                var catalog = Catalog(cluster);
                if (await catalog.GetAsync(id) is not { } current) return Problems.NotFound("template", id);
                if (body.ToTemplate(id, current, clock.GetUtcNow(), out var error) is not { } template)
                    return Problems.BadRequest(error!.Value.Field, error.Value.Reason);
                return await catalog.UpdateAsync(template) ? Results.Ok(template) : Problems.NotFound("template", id);
            })
            .RequireRole(OperatorRoles.Admin)
            .WithSummary("Update a template; fields left out keep their value");

        templates.MapDelete("/{id}", async (string id, IClusterClient cluster) =>
                await Catalog(cluster).DeleteAsync(id) ? Results.NoContent() : Problems.NotFound("template", id))
            .RequireRole(OperatorRoles.Admin)
            .WithSummary("Delete a template");

        templates.MapPost("/{id}/render", async (string id, RenderRequest body, IClusterClient cluster) =>
            {
                if (await Catalog(cluster).GetAsync(id) is not { } template) return Problems.NotFound("template", id);
                var text = TemplateVariables.Render(template, body.Variables, body.Language, out var error);
                return error is { } e ? Problems.BadRequest(e.Field, e.Reason) : Results.Ok(new { template_id = id, text });
            })
            .RequireRole(OperatorRoles.Viewer)
            .WithSummary("Fill a template's placeholders with variables (language en or es)");
        return app;
    }

    private static ITemplateCatalogGrain Catalog(IClusterClient cluster) => cluster.GetGrain<ITemplateCatalogGrain>(0);
}
