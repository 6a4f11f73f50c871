using Wharf.Core.Host;

namespace Wharf.Engine.Networks.Drivers;

/// <summary>One network driver (bridge, host, null, macvlan, ipvlan; overlay next). The service owns what every
/// network shares — records, IPAM, endpoint bookkeeping, DNS, published ports, the firewall batch — and asks the
/// driver only what differs: which options it reads, what a network is in the kernel, how an endpoint is wired into
/// a container's namespace, and how all of it comes back after a restart. Drivers decide and hand data to the host
/// ports (<see cref="INetlink"/>); they never switch on another driver's name, so a new driver is one more class and
/// one more line in <see cref="NetworkDriverRegistry.BuiltIn"/>.
/// <para>The steps are asynchronous although every built-in driver completes them at once (netlink is
/// synchronous): a global driver (overlay) agrees on a VNI and publishes its endpoints through a cluster store, which
/// waits on the network.</para></summary>
public interface INetworkDriver
{
    /// <summary>The name users give with <c>docker network create -d</c> and records keep ("bridge", "null", …).</summary>
    string Name { get; }

    /// <summary>Local: the network exists on this host only. Global: the same network on every daemon of a cluster.</summary>
    NetworkScope Scope { get; }

    NetworkDriverCapabilities Capabilities { get; }

    /// <summary>Refuses an option value the driver reads but cannot parse (a 400 in the driver's words). Keys it does
    /// not know are ignored: options are a bag other tools write into too, as in Docker.</summary>
    void ValidateOptions(IReadOnlyDictionary<string, string> options);

    /// <summary>Makes <paramref name="network"/> real (its IPAM pools are already chosen): decides and checks
    /// <see cref="NetworkRecord.Interface"/>, creates the kernel side. On a refusal it leaves nothing behind; once it
    /// returned, <see cref="DeleteAsync"/> undoes it.</summary>
    ValueTask CreateAsync(NetworkRecord network, CancellationToken ct);

    /// <summary>Removes the kernel side of a network (record already gone, no endpoint left). Best effort and
    /// idempotent: a failure is logged by the driver, never thrown, so a removal always completes.</summary>
    ValueTask DeleteAsync(NetworkRecord network, CancellationToken ct);

    /// <summary>Wires <paramref name="endpoint"/> (addresses, MAC and interface name already chosen) into the
    /// namespace of <paramref name="join"/>: creates its link(s) and returns what to configure inside the namespace —
    /// usually one interface; a driver may add a second one (overlay's route to the outside). May set
    /// <see cref="EndpointRecord.HostInterface"/> and <see cref="EndpointRecord.DriverState"/>, which
    /// <see cref="LeaveAsync"/> reads back (also after a restart).</summary>
    ValueTask<IReadOnlyList<NamespaceInterface>> JoinAsync(NetworkRecord network, EndpointRecord endpoint, EndpointJoin join, CancellationToken ct);

    /// <summary>Undoes <see cref="JoinAsync"/>. <paramref name="namespacePath"/> null: the namespace is already gone
    /// (the kernel took the links inside it with it); only host-side leftovers remain. Best effort, never throws.</summary>
    ValueTask LeaveAsync(NetworkRecord network, EndpointRecord endpoint, string? namespacePath, CancellationToken ct);

    /// <summary>At daemon start, with every record of this driver: re-creates what a reboot or crash lost and returns
    /// networks this driver created that no record owns any more (a crash in the middle of a removal). The service
    /// removes their firewall rules, then calls <see cref="DeleteAsync"/> on each.</summary>
    ValueTask<IReadOnlyList<NetworkRecord>> RestoreAsync(IReadOnlyList<NetworkRecord> networks, CancellationToken ct);

    /// <summary>The network's endpoints on other hosts (a global driver's, for the embedded DNS of this host): known
    /// while this host has endpoints of its own there; none for local drivers.</summary>
    IReadOnlyList<RemoteEndpoint> RemoteEndpointsOf(NetworkRecord network) => [];

    /// <summary>The iptables (<paramref name="ipv6"/>: ip6tables) rules <paramref name="network"/> wants; the service
    /// merges every network's into one batch.</summary>
    IReadOnlyList<FirewallRule> FirewallRulesOf(NetworkRecord network, FirewallRules rules, bool ipv6);
}
