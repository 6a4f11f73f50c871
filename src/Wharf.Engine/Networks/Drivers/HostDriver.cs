using Wharf.Core.Host;

namespace Wharf.Engine.Networks.Drivers;

/// <summary>The predefined <c>host</c> network: containers share the host's network namespace (and its hosts and
/// resolv.conf), so there is nothing to create, wire or restore, and a container on it is on no other network.</summary>
public sealed class HostDriver : INetworkDriver
{
    public const string DriverName = "host";

    public string Name => DriverName;

    public NetworkScope Scope => NetworkScope.Local;

    public NetworkDriverCapabilities Capabilities { get; } = new() { UsesHostNamespace = true, Singleton = true };

    public void ValidateOptions(IReadOnlyDictionary<string, string> options) { }

    public ValueTask CreateAsync(NetworkRecord network, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask DeleteAsync(NetworkRecord network, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask<IReadOnlyList<NamespaceInterface>> JoinAsync(NetworkRecord network, EndpointRecord endpoint, EndpointJoin join, CancellationToken ct) =>
        throw new InvalidOperationException("the host network has no endpoints");

    public ValueTask LeaveAsync(NetworkRecord network, EndpointRecord endpoint, string? namespacePath, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask<IReadOnlyList<NetworkRecord>> RestoreAsync(IReadOnlyList<NetworkRecord> networks, CancellationToken ct) =>
        ValueTask.FromResult<IReadOnlyList<NetworkRecord>>([]);

    public IReadOnlyList<FirewallRule> FirewallRulesOf(NetworkRecord network, FirewallRules rules, bool ipv6) => [];
}
