using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Engine.Networks;
using Wharf.Engine.Networks.Drivers;

namespace Wharf.Engine.Cluster;

/// <summary>Stands in for the overlay driver where overlay networks cannot be made, so `network create -d overlay`
/// gets a clear 503 with the reason (no cluster store configured) instead of "plugin not found". It refuses in
/// <see cref="ValidateOptions"/>, the service's first call to a driver, so nothing is created.</summary>
public sealed class OverlayUnavailableDriver(string reason) : INetworkDriver
{
    public const string DriverName = "overlay";

    /// <summary>The reason when the daemon has no cluster store.</summary>
    public const string NoClusterStore =
        "overlay networks need a cluster store: start wharfd with --cluster-store etcd://HOST:PORT and --cluster-advertise IP " +
        "(daemon.json \"cluster-store\" and \"cluster-advertise\")";

    public string Name => DriverName;

    public NetworkScope Scope => NetworkScope.Global;

    public NetworkDriverCapabilities Capabilities { get; } = new();

    public void ValidateOptions(IReadOnlyDictionary<string, string> options) =>
        throw new EngineException(ErrorKind.Unavailable, reason);

    public ValueTask CreateAsync(NetworkRecord network, CancellationToken ct) =>
        throw new EngineException(ErrorKind.Unavailable, reason);

    public ValueTask DeleteAsync(NetworkRecord network, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask<IReadOnlyList<NamespaceInterface>> JoinAsync(NetworkRecord network, EndpointRecord endpoint, EndpointJoin join, CancellationToken ct) =>
        throw new EngineException(ErrorKind.Unavailable, reason);

    public ValueTask LeaveAsync(NetworkRecord network, EndpointRecord endpoint, string? namespacePath, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask<IReadOnlyList<NetworkRecord>> RestoreAsync(IReadOnlyList<NetworkRecord> networks, CancellationToken ct) =>
        ValueTask.FromResult<IReadOnlyList<NetworkRecord>>([]);

    public IReadOnlyList<FirewallRule> FirewallRulesOf(NetworkRecord network, FirewallRules rules, bool ipv6) => [];
}
