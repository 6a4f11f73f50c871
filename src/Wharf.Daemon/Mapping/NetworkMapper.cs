using Wharf.Engine.Containers;
using Wharf.Engine.Networks;
using Dto = Wharf.Api.Containers;
using NetDto = Wharf.Api.Networks;
using Wharf.Engine.Containers.Store;

namespace Wharf.Daemon.Mapping;

/// <summary>Network DTOs (Docker's shapes) from the engine's records, and the network parts of container DTOs.</summary>
internal static class NetworkMapper
{
    /// <param name="scope">"local", "global" (a cluster-store overlay network) or "swarm" (a swarm overlay network) (<see cref="NetworkService.ScopeOf"/>).</param>
    public static NetDto.NetworkResource ToResource(NetworkRecord n, bool withContainers, string scope = "local") => new()
    {
        Name = n.Name,
        Id = n.Id,
        Created = ContainerMapper.FormatTime(n.Created),
        Scope = scope,
        Driver = n.Driver,
        EnableIPv4 = true,
        EnableIPv6 = n.EnableIPv6,
        IPAM = new NetDto.Ipam
        {
            Driver = "default",
            Options = n.IpamOptions.Count > 0 ? n.IpamOptions : null,
            Config = n.Ipam.Select(p => new NetDto.IpamConfig
            {
                Subnet = p.Subnet,
                Gateway = p.Gateway.Length > 0 ? p.Gateway : null,
                IPRange = p.IPRange.Length > 0 ? p.IPRange : null,
                AuxiliaryAddresses = p.AuxiliaryAddresses.Count > 0 ? p.AuxiliaryAddresses : null,
            }).ToList(),
        },
        Internal = n.Internal,
        Attachable = n.Attachable,
        Ingress = n.Ingress,
        Containers = withContainers
            ? n.Endpoints.Values.ToDictionary(e => e.ContainerId, e => new NetDto.NetworkContainer
            {
                Name = e.ContainerName,
                EndpointID = e.EndpointId,
                MacAddress = e.MacAddress,
                IPv4Address = e.IPv4Address,
                IPv6Address = e.IPv6Address,
            })
            : [],
        Options = n.Options,
        Labels = n.Labels,
    };

    public static Dictionary<string, EndpointRequest> ToEndpointRequests(Dto.NetworkingConfig? config)
    {
        var result = new Dictionary<string, EndpointRequest>(StringComparer.Ordinal);
        foreach (var (name, settings) in config?.EndpointsConfig ?? [])
            result[name] = ToEndpointRequest(settings);
        return result;
    }

    public static EndpointRequest ToEndpointRequest(Dto.EndpointSettings? settings) => new()
    {
        IPv4Address = settings?.IPAMConfig?.IPv4Address ?? "",
        IPv6Address = settings?.IPAMConfig?.IPv6Address ?? "",
        Aliases = settings?.Aliases ?? [],
        Links = settings?.Links ?? [],
        DriverOpts = settings?.DriverOpts is { } opts ? new Dictionary<string, string>(opts, StringComparer.Ordinal) : new(StringComparer.Ordinal),
        MacAddress = settings?.MacAddress ?? "",
        LinkLocalIPs = settings?.IPAMConfig?.LinkLocalIPs ?? [],
        GwPriority = settings?.GwPriority ?? 0,
    };

    public static Dictionary<string, List<PortMapping>> ToPortBindings(Dictionary<string, List<Dto.PortBinding>?>? bindings)
    {
        var result = new Dictionary<string, List<PortMapping>>(StringComparer.Ordinal);
        foreach (var (key, list) in bindings ?? [])
            result[key] = (list ?? []).Select(b => new PortMapping { HostIp = b.HostIp ?? "", HostPort = b.HostPort ?? "" }).ToList();
        return result;
    }

    public static Dictionary<string, List<Dto.PortBinding>?>? ToDtoPortBindings(Dictionary<string, List<PortMapping>> bindings) =>
        bindings.Count == 0 ? null : bindings.ToDictionary(b => b.Key, b => (List<Dto.PortBinding>?)b.Value.Select(m => new Dto.PortBinding { HostIp = m.HostIp, HostPort = m.HostPort }).ToList());

    /// <summary>Container inspect NetworkSettings from the live endpoints: Networks.&lt;name&gt; with addresses, the
    /// legacy top-level fields for the default bridge, Ports with the bound host ports.</summary>
    public static void FillInspect(Dto.NetworkSettings settings, ContainerSnapshot record, NetworkService? networks)
    {
        if (networks is null) return;
        // Create writes the network of NetworkMode into EndpointsConfig; a disconnect takes it out again, and then, as
        // in Docker, the container is on no network although HostConfig.NetworkMode still names it.
        var names = record.Host.EndpointsConfig.Keys.ToList();
        settings.Networks = [];
        EndpointRecord? primary = null;
        foreach (var name in names)
        {
            networks.TryGet(name, out var network);
            var endpoint = network is null ? null : networks.EndpointOf(network.Id, record.Id);
            var request = record.Host.EndpointsConfig.GetValueOrDefault(name);
            settings.Networks[name] = ToEndpointSettings(network, endpoint, request, servesDns: network is not null && networks.Dns.Serves(network));
            if (name == record.Host.NetworkMode) primary = endpoint;
        }
        if (record.State.Running && primary is not null) settings.SandboxKey = networks.NamespacePath(record.Id);
        if (record.Host.NetworkMode == "bridge" && primary is not null)
        {
            var s = settings.Networks["bridge"];
            settings.EndpointID = s.EndpointID ?? "";
            settings.Gateway = s.Gateway ?? "";
            settings.IPAddress = s.IPAddress ?? "";
            settings.IPPrefixLen = s.IPPrefixLen;
            settings.MacAddress = s.MacAddress ?? "";
            settings.GlobalIPv6Address = s.GlobalIPv6Address ?? "";
            settings.GlobalIPv6PrefixLen = s.GlobalIPv6PrefixLen;
            settings.IPv6Gateway = s.IPv6Gateway ?? "";
        }
        if (record.Host.NetworkMode is "host" or "none" || record.Host.NetworkMode.StartsWith("container:", StringComparison.Ordinal))
        {
            settings.Ports = null;
            return;
        }
        var ports = new Dictionary<string, List<Dto.PortBinding>?>(StringComparer.Ordinal);
        foreach (var exposed in record.Config.ExposedPorts) ports[exposed.Contains('/', StringComparison.Ordinal) ? exposed : exposed + "/tcp"] = null;
        foreach (var key in record.Host.PortBindings.Keys) ports[key.Contains('/', StringComparison.Ordinal) ? key : key + "/tcp"] = null;
        if (record.State.Running && primary is not null)
            foreach (var (key, bound) in primary.Ports)
                ports[key] = bound.Select(m => new Dto.PortBinding { HostIp = m.HostIp, HostPort = m.HostPort }).ToList();
        settings.Ports = ports;
    }

    /// <summary>Before API 1.45 Docker listed the container's short id among its aliases on every user-defined
    /// network (it always answered to it there); clients of that age (docker-py 7 at 1.44) expect to see it.</summary>
    public static void AddLegacyShortIdAliases(Dto.NetworkSettings settings, string containerId)
    {
        var shortId = containerId[..Math.Min(12, containerId.Length)];
        foreach (var (name, endpoint) in settings.Networks ?? [])
        {
            if (name is "bridge" or "default" or "host" or "none" || name.StartsWith("container:", StringComparison.Ordinal)) continue;
            var aliases = endpoint.Aliases ?? [];
            if (!aliases.Contains(shortId, StringComparer.Ordinal)) endpoint.Aliases = [.. aliases, shortId];
        }
    }

    internal static Dto.EndpointSettings ToEndpointSettings(NetworkRecord? network, EndpointRecord? endpoint, EndpointRequest? request, bool servesDns)
    {
        var settings = new Dto.EndpointSettings
        {
            IPAMConfig = request is { IPv4Address.Length: > 0 } or { IPv6Address.Length: > 0 } or { LinkLocalIPs.Count: > 0 }
                ? new Dto.EndpointIpamConfig
                {
                    IPv4Address = NullIfEmpty(request.IPv4Address),
                    IPv6Address = NullIfEmpty(request.IPv6Address),
                    LinkLocalIPs = request.LinkLocalIPs.Count > 0 ? request.LinkLocalIPs : null,
                }
                : null,
            Links = request?.Links is { Count: > 0 } links ? links : null,
            Aliases = request?.Aliases is { Count: > 0 } aliases ? aliases : null,
            DriverOpts = request?.DriverOpts is { Count: > 0 } driverOpts ? driverOpts : null,
            GwPriority = request?.GwPriority ?? 0,
            // Not connected (created, or stopped): the MAC asked for, as Docker shows the endpoint's config.
            MacAddress = endpoint?.MacAddress ?? request?.MacAddress ?? "",
            NetworkID = network?.Id ?? "",
            EndpointID = endpoint?.EndpointId ?? "",
            Gateway = "",
            IPAddress = "",
            IPv6Gateway = "",
            GlobalIPv6Address = "",
            DNSNames = endpoint is not null && servesDns ? endpoint.DnsNames : null,
        };
        if (endpoint is null || network is null) return settings;
        if (endpoint.IPv4Address.Length > 0)
        {
            var a = NetworkService.ParseCidr(endpoint.IPv4Address);
            settings.IPAddress = a.Address.ToString();
            settings.IPPrefixLen = a.PrefixLength;
            settings.Gateway = network.Ipam.FirstOrDefault(p => !p.Subnet.Contains(':', StringComparison.Ordinal))?.Gateway ?? "";
        }
        if (endpoint.IPv6Address.Length > 0)
        {
            var a = NetworkService.ParseCidr(endpoint.IPv6Address);
            settings.GlobalIPv6Address = a.Address.ToString();
            settings.GlobalIPv6PrefixLen = a.PrefixLength;
            settings.IPv6Gateway = network.Ipam.FirstOrDefault(p => p.Subnet.Contains(':', StringComparison.Ordinal))?.Gateway ?? "";
        }
        return settings;
    }

    /// <summary>docker ps: Ports and NetworkSettings.Networks of a container.</summary>
    public static Dto.ContainerSummary FillSummary(Dto.ContainerSummary summary, ContainerSnapshot record, NetworkService? networks)
    {
        if (networks is null) return summary;
        var inspect = new Dto.NetworkSettings();
        FillInspect(inspect, record, networks);
        if (inspect.Networks is { } nets) summary.NetworkSettings.Networks = nets;
        var ports = new List<Dto.ContainerPort>();
        foreach (var (key, bound) in inspect.Ports ?? [])
        {
            // A list answers for every container: a record stored before create validated its ports (or edited by
            // hand) shows what can be read, never fails the whole list.
            if (!TryParsePortKey(key, out var port, out var protocol)) continue;
            if (bound is null or { Count: 0 }) ports.Add(new Dto.ContainerPort { PrivatePort = port, Type = protocol });
            else
                foreach (var b in bound)
                {
                    _ = int.TryParse(b.HostPort, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var published);
                    ports.Add(new Dto.ContainerPort { IP = b.HostIp, PrivatePort = port, PublicPort = published, Type = protocol });
                }
        }
        summary.Ports = ports;
        return summary;
    }

    /// <summary>"80/tcp" → (80, "tcp"), without throwing: false for anything that is not a port and protocol.</summary>
    private static bool TryParsePortKey(string key, out int port, out string protocol)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        protocol = slash < 0 ? "tcp" : key[(slash + 1)..].ToLowerInvariant();
        return int.TryParse(slash < 0 ? key : key[..slash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port)
               && port is >= 1 and <= 65535 && protocol is "tcp" or "udp" or "sctp";
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
