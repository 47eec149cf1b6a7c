using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Gateway.Overrides;

/// <summary>The <c>area</c> of <c>POST /api/overrides</c>: <c>{"circle":{"center":[lng,lat],"radius_m":300}}</c> or <c>{"polygon":[[lng,lat],...]}</c>.</summary>
public sealed record AreaRequest(AreaRequest.CircleRequest? Circle, GeoPoint?[]? Polygon)
{
    /// <summary>A circle as sent: both fields are required.</summary>
    public sealed record CircleRequest(GeoPoint? Center, double? RadiusM);

    /// <summary>Throws naming the bad field (<c>area.circle.radius_m</c>, <c>area.polygon[2]</c>, ...) unless the area is valid (polygons: at most <see cref="InputLimits.MaxPolygonPoints"/> points).</summary>
    public void Validate(InputLimits limits)
    {
        if ((Circle is null) == (Polygon is null)) throw RequestException.Invalid("area", "give exactly one of circle or polygon");
        if (Circle is { } c)
        {
            if (c.Center is null) throw RequestException.Invalid("area.circle.center", "is required as [longitude, latitude]");
            RequestException.ThrowIfInvalid("area.circle.center", c.Center.Validate());
            if (c.RadiusM is not { } r || !double.IsFinite(r) || r <= 0 || r > AreaCircle.MaxRadiusM)
                throw RequestException.Invalid("area.circle.radius_m", $"must be a number of metres above 0 and at most {AreaCircle.MaxRadiusM:0}");
            return;
        }
        if (Polygon!.Length < OverrideArea.MinPolygonPoints)
            throw RequestException.Invalid("area.polygon", $"must be a ring of at least {OverrideArea.MinPolygonPoints} [longitude, latitude] points (first == last, or it is closed for you)");
        if (Polygon.Length > limits.MaxPolygonPoints)
            throw RequestException.Invalid("area.polygon", $"must have at most {limits.MaxPolygonPoints} points (got {Polygon.Length}; MAX_POLYGON_POINTS)");
        for (var i = 0; i < Polygon.Length; i++)
        {
            if (Polygon[i] is not { } point) throw RequestException.Invalid($"area.polygon[{i}]", "must be [longitude, latitude]");
            RequestException.ThrowIfInvalid($"area.polygon[{i}]", point.Validate());
        }
    }

    /// <summary>The validated area, with the polygon ring closed (first point appended when first != last).</summary>
    public OverrideArea ToArea() => Circle is { } c
        ? new OverrideArea(new AreaCircle(c.Center!, c.RadiusM!.Value), null)
        : new OverrideArea(null, GeoArea.Close(Polygon!.Select(p => p!).ToArray()));
}
