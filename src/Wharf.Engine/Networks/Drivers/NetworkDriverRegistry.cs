using System.Collections.Frozen;
using Wharf.Core.Errors;

namespace Wharf.Engine.Networks.Drivers;

/// <summary>The drivers by name. An unknown name is what Docker calls a missing plugin: 404 <c>plugin "x" not found</c>.</summary>
public sealed class NetworkDriverRegistry
{
    private readonly FrozenDictionary<string, INetworkDriver> _byName;

    public NetworkDriverRegistry(IEnumerable<INetworkDriver> drivers)
    {
        ArgumentNullException.ThrowIfNull(drivers);
        var byName = new Dictionary<string, INetworkDriver>(StringComparer.Ordinal);
        foreach (var driver in drivers)
            if (!byName.TryAdd(driver.Name, driver)) throw new ArgumentException($"two network drivers named {driver.Name}", nameof(drivers));
        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The drivers built into the daemon.</summary>
    public static IReadOnlyList<INetworkDriver> BuiltIn(NetworkDriverContext context) =>
        [new BridgeDriver(context), new HostDriver(), new NullDriver(), new MacvlanDriver(context), new IpvlanDriver(context)];

    /// <summary>Every driver's name, sorted (docker info's network plugins).</summary>
    public IReadOnlyList<string> Names => [.. _byName.Keys.Order(StringComparer.Ordinal)];

    public INetworkDriver Get(string name) =>
        TryGet(name, out var driver) ? driver : throw EngineException.NotFound($"plugin \"{name}\" not found");

    public bool TryGet(string name, out INetworkDriver driver) => _byName.TryGetValue(name, out driver!);
}
