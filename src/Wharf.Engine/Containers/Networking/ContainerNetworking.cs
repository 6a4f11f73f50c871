using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wharf.Core.Errors;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Networks;

namespace Wharf.Engine.Containers.Networking;

/// <summary>A container's networking: the settings resolved at create, the namespace wired at start with its hosts
/// and resolv.conf files, released at exit and removal; docker network connect and disconnect.</summary>
public sealed partial class ContainerNetworking : IContainerParticipant
{
    private readonly EngineOptions _options;
    private readonly ContainerStore _store;
    private readonly ILogger _log;

    /// <param name="options">The daemon's options (the host's resolv.conf and hosts files).</param>
    /// <param name="store">The container records.</param>
    /// <param name="networks">Null (unit tests, or a daemon without networking) keeps the foundation's behaviour: a
    /// fresh namespace with loopback only.</param>
    /// <param name="log">Where failed releases are logged.</param>
    public ContainerNetworking(EngineOptions options, ContainerStore store, NetworkService? networks = null, ILogger<ContainerNetworking>? log = null)
    {
        _options = options;
        _store = store;
        Networks = networks;
        _log = log ?? NullLogger<ContainerNetworking>.Instance;
        // The embedded DNS server forwards a container's non-container names to that container's --dns servers.
        if (networks is not null) networks.Dns.ContainerUpstreams = DnsUpstreamsOf;
    }

    public NetworkService? Networks { get; }

    public string Name => "network release";

    public void ReleaseRun(ContainerRecord record) => ReleaseNetwork(record);

    /// <summary>The address "host-gateway" in --add-host stands for.</summary>
    internal string? HostGatewayIp => Networks?.DefaultGateway;

    /// <summary>At create: resolves --network (name, id prefix, container:&lt;name|id&gt;) and makes sure every
    /// requested network exists, so a bad name fails the create with Docker's "network x not found".</summary>
    internal void ResolveNetworkSettings(HostSettings host, string containerMacAddress = "")
    {
        host.NetworkMode = DefaultNetworkMode.Resolve(host);
        if (host.NetworkMode.StartsWith("container:", StringComparison.Ordinal))
        {
            // Unknown target: a 400, not a 404, which would make the docker CLI try to pull the image.
            var other = TryGet(host.NetworkMode["container:".Length..], out var found) ? found : throw EngineException.Invalid($"No such container: {host.NetworkMode["container:".Length..]}");
            host.NetworkMode = "container:" + other.Id;
            host.EndpointsConfig.Clear();
            if (host.PortBindings.Count > 0) throw EngineException.Invalid("conflicting options: port publishing and the container type network mode");
            return;
        }
        if (Networks is null) return;
        try
        {
            ResolveEndpoints(host, Networks, containerMacAddress);
            if (host.NetworkMode == "bridge") host.Links = [.. host.Links.Select(ResolveLink)];
        }
        catch (EngineException e) when (e.Kind == ErrorKind.NotFound)
        {
            // A 404 from create makes the docker CLI believe the image is missing and try to pull it: Docker's own
            // daemon reports an unknown network at create as a bad parameter, with the same words.
            throw EngineException.Invalid(e.Message);
        }
    }

    private static void ResolveEndpoints(HostSettings host, NetworkService networks, string containerMacAddress)
    {
        var primary = networks.Get(host.NetworkMode);
        var requests = new Dictionary<string, EndpointRequest>(StringComparer.Ordinal);
        foreach (var (name, request) in host.EndpointsConfig)
        {
            var network = networks.Get(name is "default" ? "bridge" : name);
            requests[network.Name] = request;
        }
        if (host.EndpointsConfig.TryGetValue(host.NetworkMode, out var primaryRequest) || host.EndpointsConfig.TryGetValue("default", out primaryRequest))
            requests[primary.Name] = primaryRequest;
        requests.TryAdd(primary.Name, new EndpointRequest());
        if (containerMacAddress.Length > 0)
        {
            // Docker's handling of the deprecated container-wide MAC: it is the main network's endpoint MAC.
            var main = requests[primary.Name];
            if (main.MacAddress.Length == 0) main.MacAddress = containerMacAddress;
            else if (!string.Equals(main.MacAddress, containerMacAddress, StringComparison.OrdinalIgnoreCase))
                throw EngineException.Invalid("the container-wide MAC address must match the endpoint-specific MAC address for the main network, or be left empty");
        }
        if (!networks.CapabilitiesOf(primary).AcceptsEndpoints && requests.Count > 1)
            throw EngineException.Invalid($"container cannot be connected to multiple networks with one of the networks in private (none) mode");
        foreach (var (name, request) in requests)
        {
            if (name == "bridge" && (request.IPv4Address.Length > 0 || request.IPv6Address.Length > 0))
                throw EngineException.Invalid("user specified IP address is supported on user defined networks only");
            if (name == "bridge" && request.Aliases.Count > 0)
                throw EngineException.Invalid("network-scoped alias is supported only for containers in user defined networks");
            if (NetworkService.RefusesStaticAddresses(networks.Get(name), request))
                throw EngineException.Invalid($"invalid config for network {name}: invalid endpoint settings:\n{NetworkService.UserConfiguredSubnetsOnly}");
            networks.CheckEndpointRequest(name, request);
        }
        host.NetworkMode = primary.Name;
        host.EndpointsConfig = requests;
    }

    /// <summary>Docker registers a legacy link at create: the target must exist (and may not use the host's network).
    /// Stored by the target's name, so inspect can show "/name:/parent/alias".</summary>
    private string ResolveLink(string text)
    {
        var link = LegacyLink.Parse(text);
        if (!TryGet(link.Target, out var target))
            throw EngineException.Invalid($"could not get container for {link.Target}: No such container: {link.Target}");
        if (target.Host.NetworkMode == "host")
            throw EngineException.Invalid("conflicting options: host type networking can't be used with links. This would result in undefined behavior");
        return (link with { Target = target.Name }).ToString();
    }

    /// <summary>At start: each legacy link's target with its address on the default bridge. Docker refuses to start
    /// a container whose link target is not running, in these words.</summary>
    internal IReadOnlyList<(ContainerSnapshot Target, LegacyLink Link, string Address)> ResolveLinks(ContainerRecord record)
    {
        if (record.Host.NetworkMode != "bridge" || Networks is not { } networks) return [];
        var resolved = new List<(ContainerSnapshot, LegacyLink, string)>();
        foreach (var link in record.Host.Links.Select(LegacyLink.Parse))
        {
            var running = TryGet(link.Target, out var target) && target.State.Running;
            var endpoint = running ? networks.EndpointOf("bridge", target.Id) : null;
            if (endpoint is not { IPv4Address.Length: > 0 })
                throw EngineException.Invalid($"Cannot link to a non running container: /{link.Target} AS /{record.Name}/{link.Alias}");
            resolved.Add((target, link, NetworkService.ParseCidr(endpoint.IPv4Address).Address.ToString()));
        }
        return resolved;
    }

    /// <summary>DELETE /containers/{parent}/{alias}?link=1: the parent forgets the link (its environment, fixed at
    /// start, stays as Docker's does).</summary>
    public async Task RemoveLinkAsync(string parentNameOrId, string alias, CancellationToken ct)
    {
        if (!TryGet(parentNameOrId, out var parent)) throw EngineException.NoSuchContainer($"{parentNameOrId}/{alias}");
        var entry = Find(parent.Id);
        await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var index = entry.Record.Host.Links.FindIndex(l => LegacyLink.Parse(l).Alias == alias);
            if (index < 0) throw EngineException.NoSuchContainer($"{parentNameOrId}/{alias}");
            entry.Record.Host.Links.RemoveAt(index);
            Persist(entry.Record);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>At start: the network namespace path for the spec (null = none/host, handled by the spec builder)
    /// and the wiring of a container with networks of its own, begun on another thread: it runs while the rootfs is
    /// mounted and the shim starts (tens of milliseconds), so connecting adds next to nothing to a start.</summary>
    internal NetworkStart BeginNetwork(ContainerRecord record)
    {
        var mode = record.Host.NetworkMode;
        if (JoinedNetwork(record) is { } joined) return new NetworkStart(joined.NamespacePath, Task.CompletedTask, joined.Files);
        if (Networks is not { } networks || mode is "host" or "none") return NetworkStart.None;
        return new NetworkStart(networks.NamespacePath(record.Id), Task.Run(() => PrepareNetwork(record, networks)));
    }

    /// <summary>Pins the namespace, connects every network, publishes ports and writes hosts/resolv.conf with the
    /// addresses; on failure releases whatever it did.</summary>
    private void PrepareNetwork(ContainerRecord record, NetworkService networks)
    {
        var path = networks.CreateSandbox(record.Id);
        try
        {
            var primary = networks.Get(record.Host.NetworkMode);
            EndpointRecord? primaryEndpoint = null;
            foreach (var (name, request) in record.Host.EndpointsConfig.OrderBy(e => e.Key == primary.Name ? 0 : 1).ThenBy(e => e.Key, StringComparer.Ordinal))
            {
                var endpoint = networks.Connect(name, record.Id, record.Name, record.Config.Hostname, request, path, defaultRoute: name == primary.Name);
                if (name == primary.Name) primaryEndpoint = endpoint;
            }
            var ports = RequestedPorts(record);
            if (ports.Count > 0 && primaryEndpoint is { IPv4Address.Length: > 0 }) networks.PublishPorts(primary.Id, record.Id, ports);
            WriteNetworkFiles(record, primary, primaryEndpoint);
        }
        catch
        {
            networks.ReleaseContainer(record.Id);
            throw;
        }
    }

    /// <summary>-p bindings, plus every exposed port on a random host port with -P.</summary>
    private static Dictionary<string, List<PortMapping>> RequestedPorts(ContainerRecord record)
    {
        var ports = new Dictionary<string, List<PortMapping>>(StringComparer.Ordinal);
        foreach (var (key, mappings) in record.Host.PortBindings) ports[Normalize(key)] = mappings;
        if (record.Host.PublishAllPorts)
            foreach (var exposed in record.Config.ExposedPorts) ports.TryAdd(Normalize(exposed), [new PortMapping()]);
        return ports;

        static string Normalize(string key) => key.Contains('/', StringComparison.Ordinal) ? key : key + "/tcp";
    }

    private void WriteNetworkFiles(ContainerRecord record, NetworkRecord primary, EndpointRecord? endpoint)
    {
        var paths = PathsOf(record);
        var ip = endpoint is { IPv4Address.Length: > 0 } ? NetworkService.ParseCidr(endpoint.IPv4Address).Address.ToString() : null;
        var hosts = new StringBuilder(Files.ContainerFiles.Hosts(record.Config.Hostname, record.Config.Domainname, record.Host.ExtraHosts, ip, HostGatewayIp));
        foreach (var link in record.Host.Links.Select(LegacyLink.Parse))
        {
            if (!TryGet(link.Target, out var linked)) continue;
            var linkedEndpoint = Networks!.EndpointOf(primary.Id, linked.Id);
            if (linkedEndpoint is not { IPv4Address.Length: > 0 }) continue;
            var linkedIp = NetworkService.ParseCidr(linkedEndpoint.IPv4Address).Address;
            // Docker's line: the alias, the target's hostname, and its name when that differs from the alias.
            hosts.Append(linkedIp).Append('\t').Append(link.Alias).Append(' ').Append(linked.Config.Hostname);
            if (link.Alias != linked.Name) hosts.Append(' ').Append(linked.Name);
            hosts.Append('\n');
        }
        File.WriteAllText(paths.HostsFile, hosts.ToString());
        if (Networks!.Dns.Serves(primary) && primary.Ipam.FirstOrDefault(p => !Subnet.Parse(p.Subnet).IsV6) is { Gateway.Length: > 0 } pool)
        {
            var hostResolv = File.Exists(_options.HostResolvConf) ? File.ReadAllText(_options.HostResolvConf) : "";
            // Always the embedded server on the gateway, as Docker does: it answers container names and forwards the
            // rest to the container's --dns servers (DnsUpstreamsOf), or to the host's resolvers without them.
            File.WriteAllText(paths.ResolvConfFile, Files.ContainerFiles.ResolvConf(hostResolv, [pool.Gateway], record.Host.DnsSearch, record.Host.DnsOptions));
        }
    }

    /// <summary>After the container's exit, at removal, and on failed starts: idempotent, never throws.</summary>
    internal void ReleaseNetwork(ContainerRecord record)
    {
        try { Networks?.ReleaseContainer(record.Id); }
        catch (Exception e) when (e is IOException or EngineException or UnauthorizedAccessException)
        {
            ContainerLog.ReleaseNetworkFailed(_log, e, record.Id);
        }
    }

    /// <summary>Completes when the kernel side of <see cref="ReleaseNetwork"/> (queued so that many releases share the
    /// work: veths, namespace pin, port rules) is done for <paramref name="record"/>. Never faults.</summary>
    internal Task WhenNetworkReleased(ContainerRecord record) => Networks?.WhenTornDown(record.Id) ?? Task.CompletedTask;

    /// <summary>At daemon start: the endpoints and pinned namespaces of every container not in
    /// <paramref name="running"/> are released (a daemon killed between a container's exit, a removal or a failed
    /// start and its network teardown). Returns how many containers had some.</summary>
    internal int ReleaseAllBut(IReadOnlySet<string> running)
    {
        if (Networks is null) return 0;
        var released = 0;
        foreach (var id in Networks.ContainersHoldingNetworkState().Where(id => !running.Contains(id)))
        {
            try
            {
                Networks.ReleaseContainer(id);
                released++;
            }
            catch (Exception e) when (e is IOException or EngineException or UnauthorizedAccessException)
            {
                ContainerLog.ReleaseNetworkFailed(_log, e, id);
            }
        }
        return released;
    }

    /// <summary>docker network connect: recorded on the container; wired at once when it runs.</summary>
    public async Task ConnectNetworkAsync(string containerNameOrId, string networkNameOrId, EndpointRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var networks = Networks ?? throw new EngineException(ErrorKind.NotImplemented, "networking is not enabled");
        var entry = Find(containerNameOrId);
        var record = entry.Record;
        var network = networks.Get(networkNameOrId);
        await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var mode = record.Host.NetworkMode;
            if (mode == "host" || networks.CapabilitiesOf(network).UsesHostNamespace)
                throw new EngineException(ErrorKind.Forbidden, "container cannot be disconnected from host network or connected to host network");
            if (mode == "none" || !networks.CapabilitiesOf(network).AcceptsEndpoints || mode.StartsWith("container:", StringComparison.Ordinal))
                throw new EngineException(ErrorKind.Forbidden, "container cannot be connected to multiple networks with one of the networks in private (none) mode");
            if (record.Host.EndpointsConfig.ContainsKey(network.Name))
                throw new EngineException(ErrorKind.Forbidden, $"endpoint with name {record.Name} already exists in network {network.Name}");
            if (network.Name == "bridge" && request.IPv4Address.Length > 0)
                throw EngineException.Invalid("user specified IP address is supported on user defined networks only");
            NetworkService.CheckStaticAddresses(network, request);
            if (!record.State.Running) networks.CheckEndpointRequest(network.Id, request);
            if (record.State.Running)
                networks.Connect(network.Id, record.Id, record.Name, record.Config.Hostname, request, networks.NamespacePath(record.Id), defaultRoute: false);
            record.Host.EndpointsConfig[network.Name] = request;
            Persist(record);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>docker network disconnect.</summary>
    public async Task DisconnectNetworkAsync(string containerNameOrId, string networkNameOrId, bool force, CancellationToken ct)
    {
        var networks = Networks ?? throw new EngineException(ErrorKind.NotImplemented, "networking is not enabled");
        var network = networks.Get(networkNameOrId);
        if (!TryGet(containerNameOrId, out var found))
        {
            // Force: clean an endpoint whose container is gone (Docker allows this too).
            if (force && network.Endpoints.Values.FirstOrDefault(e => e.ContainerName == containerNameOrId || e.ContainerId.StartsWith(containerNameOrId, StringComparison.Ordinal)) is { } orphan)
            {
                networks.Disconnect(network.Id, orphan.ContainerId, networks.NamespacePath(orphan.ContainerId));
                return;
            }
            throw EngineException.NoSuchContainer(containerNameOrId);
        }
        var entry = Find(found.Id);
        var record = entry.Record;
        await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (record.Host.NetworkMode == "host" || networks.CapabilitiesOf(network).UsesHostNamespace)
                throw new EngineException(ErrorKind.Forbidden, "container cannot be disconnected from host network or connected to host network");
            if (!record.Host.EndpointsConfig.ContainsKey(network.Name) && networks.EndpointOf(network.Id, record.Id) is null)
                throw new EngineException(ErrorKind.Forbidden, $"container {record.Id} is not connected to network {network.Name}");
            networks.Disconnect(network.Id, record.Id, networks.NamespacePath(record.Id));
            record.Host.EndpointsConfig.Remove(network.Name);
            Persist(record);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    private ContainerEntry Find(string nameOrId) => _store.Find(nameOrId);

    /// <summary>Other containers (link targets, a network-mode target, a DNS client) are only read: their snapshots.</summary>
    private bool TryGet(string nameOrId, out ContainerSnapshot snapshot) => _store.TryGet(nameOrId, out snapshot);

    private ContainerPaths PathsOf(ContainerRecord record) => _store.PathsOf(record);

    private ContainerPaths PathsOf(ContainerSnapshot snapshot) => _store.PathsOf(snapshot);

    private void Persist(ContainerRecord record) => _store.Persist(record);
}
