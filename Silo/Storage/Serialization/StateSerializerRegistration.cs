using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace CityArray.Silo.Storage.Serialization;

/// <summary>Registers <see cref="CityArrayStateSerializer"/> as the serializer of a named grain storage provider.</summary>
public static class StateSerializerRegistration
{
    /// <summary>
    /// Makes <see cref="CityArrayStateSerializer"/> the serializer of the provider <paramref name="providerName"/>
    /// (Orleans' option configurators look for a serializer keyed by the provider name first).
    /// </summary>
    public static IServiceCollection AddCityArrayStateSerializer(this IServiceCollection services, string providerName)
    {
        services.AddKeyedSingleton<IGrainStorageSerializer>(providerName, (sp, _) => new CityArrayStateSerializer(
            sp.GetRequiredService<Serializer>(),
            new JsonGrainStorageSerializer(sp.GetRequiredService<OrleansJsonSerializer>())));
        return services;
    }
}
