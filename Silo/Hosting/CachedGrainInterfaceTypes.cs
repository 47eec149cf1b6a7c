using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Serialization.TypeSystem;

namespace CityArray.Silo.Hosting;

/// <summary>
/// Remembers each grain interface's <see cref="GrainInterfaceType"/>. Orleans resolves it on every
/// <c>GetGrain&lt;T&gt;(key)</c> by reading the interface's attributes and formatting its name (no cache), which cost
/// more than the grain call itself in the claim and nearby profiles. Registered first among the providers, this one
/// answers from its cache and computes a miss exactly as Orleans would (the other providers, then the convention).
/// </summary>
public sealed class CachedGrainInterfaceTypes(IServiceProvider services) : IGrainInterfaceTypeProvider
{
    private readonly ConcurrentDictionary<Type, GrainInterfaceType> _cache = new();
    private GrainInterfaceTypeResolver? _inner;

    /// <summary>Registers the cache ahead of Orleans' own providers (they are enumerated in registration order).</summary>
    public static void Register(IServiceCollection services) =>
        services.Insert(0, ServiceDescriptor.Singleton<IGrainInterfaceTypeProvider, CachedGrainInterfaceTypes>());

    public bool TryGetGrainInterfaceType(Type type, out GrainInterfaceType grainInterfaceType)
    {
        grainInterfaceType = _cache.GetOrAdd(type, static (t, self) => self.Inner().GetGrainInterfaceType(t), this);
        return true;
    }

    private GrainInterfaceTypeResolver Inner() => _inner ??= new GrainInterfaceTypeResolver(
        services.GetServices<IGrainInterfaceTypeProvider>().Where(p => p is not CachedGrainInterfaceTypes),
        services.GetRequiredService<TypeConverter>());
}
