using System.Text.Json;
using System.Text.Json.Nodes;
using CityArray.Gateway.Infrastructure;

namespace CityArray.Gateway.Security;

/// <summary>Adds or removes one field of an answer's JSON (a secret shown once, a phone hidden from strangers).</summary>
public static class SecretWire
{
    /// <summary><paramref name="value"/> as wire JSON with <paramref name="field"/> set (left out when null).</summary>
    public static JsonObject With<T>(T value, string field, string? fieldValue)
    {
        var node = JsonSerializer.SerializeToNode(value, JsonWire.Options)!.AsObject();
        if (fieldValue is not null) node[field] = fieldValue;
        return node;
    }

    /// <summary><paramref name="value"/> as wire JSON without <paramref name="field"/>.</summary>
    public static JsonObject Without<T>(T value, string field)
    {
        var node = JsonSerializer.SerializeToNode(value, JsonWire.Options)!.AsObject();
        node.Remove(field);
        return node;
    }
}
