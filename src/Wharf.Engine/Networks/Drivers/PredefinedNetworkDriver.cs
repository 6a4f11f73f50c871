using Wharf.Core.Host;

namespace Wharf.Engine.Networks.Drivers;

/// <summary>The predefined networks with nothing to create, wire or restore (<c>host</c>, <c>none</c>): a container on
/// one is on no other network and has no endpoint of its own.</summary>
public abstract class PredefinedNetworkDriver(string name, NetworkDriverCapabilities capabilities) : INetworkDriver
{
    public string Name { get; } = name;

    public NetworkScope Scope => NetworkScope.Local;

    public NetworkDriverCapabilities Capabilities { get; } = capabilities;

    public void ValidateOptions(IReadOnlyDictionary<string, string> options) { }

    public ValueTask CreateAsync(NetworkRecord network, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask DeleteAsync(NetworkRecord network, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask<IReadOnlyList<NamespaceInterface>> JoinAsync(NetworkRecord network, EndpointRecord endpoint, EndpointJoin join, CancellationToken ct) =>
        throw new InvalidOperationException($"the {network?.Name ?? Name} network has no endpoints");

    public ValueTask LeaveAsync(NetworkRecord network, EndpointRecord endpoint, string? namespacePath, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask<IReadOnlyList<NetworkRecord>> RestoreAsync(IReadOnlyList<NetworkRecord> networks, CancellationToken ct) =>
        ValueTask.FromResult<IReadOnlyList<NetworkRecord>>([]);

    public IReadOnlyList<FirewallRule> FirewallRulesOf(NetworkRecord network, FirewallRules rules, bool ipv6) => [];
}
