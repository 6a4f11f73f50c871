using System.Net;
using System.Security.Cryptography;
using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Engine.Networks.Drivers;

namespace Wharf.Engine.Networks;

public sealed partial class NetworkService
{
    /// <summary>Creates the container's pinned network namespace (loopback only until endpoints are connected).</summary>
    public string CreateSandbox(string containerId)
    {
        var path = NamespacePath(containerId);
        WaitForPendingUnpin(containerId);
        _namespaces.RemoveNetworkNamespace(path); // a leftover of a crash would make the new pin fail
        _namespaces.CreateNetworkNamespace(path);
        return path;
    }

    /// <summary>Connects a container whose namespace is pinned at <paramref name="namespacePath"/> to a network:
    /// allocates its addresses (static ones checked), wires the link, records the endpoint. Nothing is left behind
    /// when a step fails. <paramref name="defaultRoute"/>: this network carries the container's default route.</summary>
    public EndpointRecord Connect(string networkNameOrId, string containerId, string containerName, string hostname,
        EndpointRequest request, string namespacePath, bool defaultRoute)
    {
        ArgumentNullException.ThrowIfNull(request);
        var network = Get(networkNameOrId);
        var driver = Drivers.Get(network.Driver);
        if (!driver.Capabilities.AcceptsEndpoints)
            throw new EngineException(ErrorKind.Forbidden, $"container cannot be disconnected from host network or connected to host network");
        CheckStaticAddresses(network, request);
        var endpoint = new EndpointRecord
        {
            ContainerId = containerId,
            ContainerName = containerName,
            EndpointId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            Aliases = [.. request.Aliases],
            Links = [.. request.Links],
        };
        lock (_gate)
        {
            if (network.Endpoints.ContainsKey(containerId))
                throw new EngineException(ErrorKind.Forbidden, $"endpoint with name {containerName} already exists in network {network.Name}");
            foreach (var pool in driver.Capabilities.UsesIpam ? network.Ipam : [])
            {
                var subnet = Subnet.Parse(pool.Subnet);
                var reserved = ReservedAddresses(network, subnet);
                var wanted = subnet.IsV6 ? request.IPv6Address : request.IPv4Address;
                Subnet? range = Subnet.TryParse(pool.IPRange, out var r) ? r : null;
                var ip = wanted.Length > 0 ? Ipam.ValidateStatic(wanted, subnet, reserved) : Ipam.Allocate(subnet, range, reserved, network.Name);
                if (subnet.IsV6) endpoint.IPv6Address = $"{ip}/{subnet.PrefixLength}";
                else endpoint.IPv4Address = $"{ip}/{subnet.PrefixLength}";
            }
            if (request.IPv4Address.Length > 0 && endpoint.IPv4Address.Length == 0)
                throw EngineException.Invalid($"invalid endpoint settings:\nno configured subnet or ip-range contain the IP address {request.IPv4Address}");
            // Reserve now (under the lock) so a concurrent connect cannot take the same address.
            network.Endpoints[containerId] = endpoint;
        }
        try
        {
            endpoint.InterfaceName = NextInterfaceName(containerId, network.Id);
            endpoint.MacAddress = request.MacAddress.Length > 0 ? NormalizedMac(request.MacAddress) : MacFor(endpoint);
            endpoint.LinkLocalAddresses = [.. request.LinkLocalIPs.Select(LinkLocalAddress)];
            endpoint.DnsNames = [containerName, containerId[..12], .. endpoint.Aliases];
            if (hostname.Length > 0 && !endpoint.DnsNames.Contains(hostname)) endpoint.DnsNames.Add(hostname);
            Wire(driver, network, endpoint, namespacePath, defaultRoute, staticIPv4: request.IPv4Address.Length > 0);
            Persist(network);
        }
        catch
        {
            lock (_gate) network.Endpoints.Remove(containerId);
            CallDriver(driver.LeaveAsync(network, endpoint, namespacePath: null, CancellationToken.None));
            throw;
        }
        Dns.Refresh();
        Publish("connect", network, ("container", containerId));
        return endpoint;
    }

    /// <summary>The driver creates the endpoint's link(s); the service configures what it returns inside the
    /// namespace: addresses, and the default route through the network's gateways when this network carries it.</summary>
    private void Wire(INetworkDriver driver, NetworkRecord network, EndpointRecord endpoint, string namespacePath, bool defaultRoute, bool staticIPv4 = false)
    {
        var addresses = new List<NetAddress>();
        if (endpoint.IPv4Address.Length > 0) addresses.Add(ParseCidr(endpoint.IPv4Address));
        if (endpoint.IPv6Address.Length > 0) addresses.Add(ParseCidr(endpoint.IPv6Address));
        addresses.AddRange(endpoint.LinkLocalAddresses.Select(ParseCidr));
        IPAddress? gateway = null;
        IPAddress? gateway6 = null;
        if (defaultRoute && !network.Internal)
        {
            foreach (var pool in network.Ipam.Where(p => p.Gateway.Length > 0))
            {
                var gw = IPAddress.Parse(pool.Gateway);
                if (Subnet.Parse(pool.Subnet).IsV6) gateway6 = gw;
                else gateway = gw;
            }
        }
        var join = new EndpointJoin(namespacePath, _driverContext.MtuOf(network), addresses, gateway, gateway6) { StaticIPv4 = staticIPv4 };
        var interfaces = CallDriver(driver.JoinAsync(network, endpoint, join, CancellationToken.None));
        _netlink.ConfigureInNamespace(namespacePath, interfaces);
    }

    /// <summary>Disconnects one endpoint: link, allocation, DNS names and published ports go. Missing is not an error
    /// unless <paramref name="mustExist"/>. Answers once the port rules are deleted too (queued behind other teardowns,
    /// whose batch they may share), as `docker network disconnect` answers after its endpoint is gone.</summary>
    public void Disconnect(string networkNameOrId, string containerId, string? namespacePath, bool mustExist = false)
    {
        var network = Get(networkNameOrId);
        EndpointRecord? endpoint;
        lock (_gate)
        {
            if (!network.Endpoints.Remove(containerId, out endpoint))
            {
                if (mustExist) throw new EngineException(ErrorKind.Forbidden, $"container {containerId} is not connected to network {network.Name}");
                return;
            }
        }
        RemovePortRules(PortRulesOf(network, endpoint));
        Ports.Unpublish(endpoint);
        if (Drivers.TryGet(network.Driver, out var driver)) CallDriver(driver.LeaveAsync(network, endpoint, namespacePath, CancellationToken.None));
        _background?.Flush();
        Persist(network);
        Dns.Refresh();
        Publish("disconnect", network, ("container", containerId));
    }

    /// <summary>Teardown after the container stopped (or at removal): every endpoint and the pinned namespace.
    /// Best effort and idempotent: safe after a crash, a restart, or twice. What the next container needs happens
    /// now, exactly once (addresses and DNS names released in memory, proxies closed so the host ports are free);
    /// the kernel work (veths deleted, namespace unpinned, port rules deleted, records written) is queued, where the
    /// releases in flight together share it; the exit or removal is answered once it has run
    /// (<see cref="WhenTornDown"/>). A daemon killed before the queue ran reconciles at start (the container's exit
    /// is seen again and the rules are diffed).</summary>
    public void ReleaseContainer(string containerId)
    {
        var released = new List<(NetworkRecord Network, EndpointRecord Endpoint)>();
        lock (_gate)
        {
            foreach (var network in _byId.Values)
                if (network.Endpoints.Remove(containerId, out var endpoint)) released.Add((network, endpoint));
        }
        foreach (var (network, endpoint) in released)
        {
            RemovePortRules(PortRulesOf(network, endpoint));
            Ports.Unpublish(endpoint);
        }
        if (released.Count > 0) Dns.Refresh();
        QueueUnpin(containerId, released);
        foreach (var (network, _) in released) Publish("disconnect", network, ("container", containerId));
    }

    /// <summary>Every container that has an endpoint on some network or a pinned namespace (for the reconciliation at
    /// daemon start, which releases those of containers that do not run).</summary>
    public IReadOnlySet<string> ContainersHoldingNetworkState()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        lock (_gate)
            foreach (var network in _byId.Values) ids.UnionWith(network.Endpoints.Keys);
        var pins = Path.GetDirectoryName(NamespacePath("x"))!;
        if (Directory.Exists(pins)) ids.UnionWith(Directory.EnumerateFiles(pins).Select(Path.GetFileName).OfType<string>());
        return ids;
    }

    /// <summary>The network's endpoints as one list taken under the lock: connects and releases change the
    /// dictionary from other threads (parallel starts), which a reader must not enumerate meanwhile.</summary>
    internal List<EndpointRecord> EndpointsSnapshot(NetworkRecord network)
    {
        lock (_gate) return [.. network.Endpoints.Values];
    }

    /// <summary>The container's endpoint on a network, if connected.</summary>
    public EndpointRecord? EndpointOf(string networkNameOrId, string containerId)
    {
        if (!TryGet(networkNameOrId, out var network)) return null;
        lock (_gate) return network.Endpoints.GetValueOrDefault(containerId);
    }

    private static HashSet<IPAddress> ReservedAddresses(NetworkRecord network, Subnet subnet)
    {
        var reserved = new HashSet<IPAddress>();
        foreach (var pool in network.Ipam)
        {
            if (IPAddress.TryParse(pool.Gateway, out var gw) && subnet.Contains(gw)) reserved.Add(gw);
            foreach (var aux in pool.AuxiliaryAddresses.Values)
                if (IPAddress.TryParse(aux, out var ip) && subnet.Contains(ip)) reserved.Add(ip);
        }
        foreach (var e in network.Endpoints.Values)
        {
            foreach (var text in new[] { e.IPv4Address, e.IPv6Address })
                if (text.Length > 0 && subnet.Contains(ParseCidr(text).Address)) reserved.Add(ParseCidr(text).Address);
        }
        return reserved;
    }

    private string NextInterfaceName(string containerId, string exceptNetwork)
    {
        var used = All().Where(n => n.Id != exceptNetwork).Select(n => EndpointOf(n.Id, containerId)?.InterfaceName).Where(n => n is not null).ToHashSet();
        for (var i = 0; ; i++)
            if (!used.Contains($"eth{i}")) return $"eth{i}";
    }

    /// <summary>A requested link-local address with the prefix libnetwork gives it: /16 for IPv4, /64 for IPv6.</summary>
    private static string LinkLocalAddress(string requested)
    {
        var ip = IPAddress.Parse(requested);
        return $"{ip}/{(ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 64 : 16)}";
    }

    /// <summary>"02:42:AC:11:00:0A" and "02-42-ac-11-00-0a" as the kernel (and inspect) write them.</summary>
    internal static string NormalizedMac(string mac) =>
        System.Net.NetworkInformation.PhysicalAddress.TryParse(mac, out var parsed) && parsed.GetAddressBytes().Length == 6
            ? string.Join(':', parsed.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)))
            : throw EngineException.Invalid($"invalid endpoint settings:\ninvalid MAC address {mac}");

    /// <summary>02:42 followed by the IPv4 address, as Docker long did: stable and readable.</summary>
    private static string MacFor(EndpointRecord endpoint)
    {
        var bytes = endpoint.IPv4Address.Length > 0
            ? ParseCidr(endpoint.IPv4Address).Address.GetAddressBytes()
            : Convert.FromHexString(endpoint.EndpointId[..8]);
        return "02:42:" + string.Join(':', bytes.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    public static NetAddress ParseCidr(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        return new NetAddress(IPAddress.Parse(cidr[..slash]), int.Parse(cidr[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Publishes ports on a container's endpoint (all or nothing) and persists the bound host ports.</summary>
    public void PublishPorts(string networkNameOrId, string containerId, IReadOnlyDictionary<string, List<PortMapping>> requested)
    {
        if (requested.Count == 0) return;
        var network = Get(networkNameOrId);
        var endpoint = EndpointOf(network.Id, containerId) ?? throw EngineException.NotFound($"container {containerId} is not connected to network {network.Name}");
        Ports.Publish(endpoint, requested);
        AddPortRules(PortRulesOf(network, endpoint));
        Persist(network);
    }
}
