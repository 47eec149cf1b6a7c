using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Gateway.Overrides;

/// <summary>The <c>area</c> of <c>POST /api/overrides</c>: <c>{"circle":{"center":[lng,lat],"radius_m":300}}</c> or <c>{"polygon":[[lng,lat],...]}</c>.</summary>
public sealed record AreaRequest(AreaRequest.CircleRequest? Circle, GeoPoint?[]? Polygon)
{
    /// <summary>A circle as sent: both fields are required.</summary>
    public sealed record CircleRequest(GeoPoint? Center, double? RadiusM);

    /// <summary>Null when the area is valid, else the field (<c>area.circle.radius_m</c>, <c>area.polygon[2]</c>, ...) and the reason.</summary>
    public (string Field, string Reason)? Validate()
    {
        if ((Circle is null) == (Polygon is null)) return ("area", "give exactly one of circle or polygon");
        if (Circle is { } c)
        {
            if (c.Center is null) return ("area.circle.center", "is required as [longitude, latitude]");
            if (c.Center.Validate() is { } badCenter) return ("area.circle.center", badCenter);
            if (c.RadiusM is not { } r || !double.IsFinite(r) || r <= 0 || r > AreaCircle.MaxRadiusM)
                return ("area.circle.radius_m", $"must be a number of metres above 0 and at most {AreaCircle.MaxRadiusM:0}");
            return null;
        }
        if (Polygon!.Length < OverrideArea.MinPolygonPoints)
            return ("area.polygon", $"must be a ring of at least {OverrideArea.MinPolygonPoints} [longitude, latitude] points (first == last, or it is closed for you)");
        if (Polygon.Length > OverrideArea.MaxPolygonPoints)
            return ("area.polygon", $"must have at most {OverrideArea.MaxPolygonPoints} points (got {Polygon.Length})");
        for (var i = 0; i < Polygon.Length; i++)
        {
            if (Polygon[i] is not { } point) return ($"area.polygon[{i}]", "must be [longitude, latitude]");
            if (point.Validate() is { } badPoint) return ($"area.polygon[{i}]", badPoint);
        }
        return null;
    }

    /// <summary>The validated area, with the polygon ring closed (first point appended when first != last).</summary>
    public OverrideArea ToArea() => Circle is { } c
        ? new OverrideArea(new AreaCircle(c.Center!, c.RadiusM!.Value), null)
        : new OverrideArea(null, GeoArea.Close(Polygon!.Select(p => p!).ToArray()));
}
