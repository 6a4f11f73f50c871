namespace Wharf.Core.Host;

/// <summary>Kernel network configuration (rtnetlink). Implemented by Wharf.Linux without spawning `ip`; faked in
/// tests. Operations are idempotent where noted so teardown and reconciliation can repeat them.</summary>
public interface INetlink
{
    /// <summary>Creates the bridge when missing, sets MTU (0 = leave), adds the addresses (existing ones are kept)
    /// and brings it up.</summary>
    void EnsureBridge(string name, int mtu, IReadOnlyList<NetAddress> addresses);

    /// <summary>Creates a VLAN sub-interface "parent.N" of <paramref name="parent"/> when missing and brings it up.</summary>
    void EnsureVlan(string name, string parent, int vlanId);

    /// <summary>Creates the link described by <paramref name="request"/> (see <see cref="LinkRequest"/>).</summary>
    void CreateLink(LinkRequest request);

    /// <summary>Configures interfaces inside the namespace pinned at <paramref name="namespacePath"/>: loopback up,
    /// then each interface's addresses, link up and default route.</summary>
    void ConfigureInNamespace(string namespacePath, IReadOnlyList<NamespaceInterface> interfaces);

    /// <summary>Deletes a link in the daemon's namespace (or inside <paramref name="namespacePath"/>). Missing is not an error.</summary>
    void DeleteLink(string name, string? namespacePath = null);

    bool LinkExists(string name);

    /// <summary>The IPv4 destinations routed on the host (to keep new subnets clear of them).</summary>
    IReadOnlyList<NetAddress> HostRoutes();
}
