using Wharf.Core.Errors;

namespace Wharf.Engine.Networks;

public sealed partial class NetworkService
{
    /// <summary>Docker's reason for refusing --ip/--ip6 on a network whose subnet it picked itself.</summary>
    public const string UserConfiguredSubnetsOnly = "user specified IP address is supported only when connecting to networks with user configured subnets";

    /// <summary>Docker's rule for static addresses: --ip (--ip6) needs an IPv4 (IPv6) subnet the user configured.
    /// A subnet the daemon picked may be different after the network is re-created (or on another host), so an
    /// address pinned in it would silently stop matching. Checked at container create, at connect and when a
    /// container's endpoint is wired, so no path lets one through. Message as Docker's "invalid endpoint settings".</summary>
    public static void CheckStaticAddresses(NetworkRecord network, EndpointRequest request)
    {
        if (RefusesStaticAddresses(network, request)) throw EngineException.Invalid("invalid endpoint settings:\n" + UserConfiguredSubnetsOnly);
    }

    /// <summary>True when <paramref name="request"/> asks for a static address that <see cref="CheckStaticAddresses"/> refuses.</summary>
    public static bool RefusesStaticAddresses(NetworkRecord network, EndpointRequest request)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(request);
        return OnlyAutoAllocated(network, request.IPv4Address, v6: false) || OnlyAutoAllocated(network, request.IPv6Address, v6: true);
    }

    /// <summary>A static address is asked for this family and every pool of the family was picked by the daemon.</summary>
    private static bool OnlyAutoAllocated(NetworkRecord network, string address, bool v6)
    {
        if (address.Length == 0) return false;
        var family = network.Ipam.Where(p => Subnet.TryParse(p.Subnet, out var s) && s.IsV6 == v6).ToList();
        return family.Count > 0 && family.All(p => p.AutoAllocated);
    }
}
