using Wharf.Core.Errors;
using Wharf.Engine.Containers.Store;

namespace Wharf.Engine.Containers.Networking;

/// <summary>The network modes without networks of their own: host (the host's namespace, hostname, hosts and
/// resolv.conf) and container:&lt;id&gt; (another container's namespace and files), as Docker does them.</summary>
public sealed partial class ContainerNetworking
{
    private const string JoinNonRunning = "cannot join network namespace of a non running container";

    /// <summary>At create, before anything is resolved: what Docker refuses with these modes (its words, its order).
    /// The ports a container exposes itself count; those of its image do not (they are merged later).</summary>
    internal static void ValidateNetworkModeConflicts(ContainerConfig config, HostSettings host)
    {
        var mode = host.NetworkMode;
        if (mode == "host" && host.Links.Count > 0)
            throw EngineException.Invalid("conflicting options: host type networking can't be used with links. This would result in undefined behavior");
        if (!mode.StartsWith("container:", StringComparison.Ordinal)) return;
        if (config.Hostname.Length > 0) throw EngineException.Invalid("conflicting options: hostname and the network mode");
        if (host.Links.Count > 0)
            throw EngineException.Invalid("conflicting options: container type network can't be used with links. This would result in undefined behavior");
        if (host.Dns.Count > 0) throw EngineException.Invalid("conflicting options: dns and the network mode");
        if (host.ExtraHosts.Count > 0) throw EngineException.Invalid("conflicting options: custom host-to-IP mapping and the network mode");
        if (host.PortBindings.Count > 0 || host.PublishAllPorts)
            throw EngineException.Invalid("conflicting options: port publishing and the container type network mode");
        if (config.ExposedPorts.Count > 0) throw EngineException.Invalid("conflicting options: port exposing and the container type network mode");
    }

    /// <summary>Create's warnings about the network mode, in Docker's words.</summary>
    public static IReadOnlyList<string> NetworkModeWarnings(HostSettings host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.NetworkMode == "host" && host.PortBindings.Count > 0 ? ["Published ports are discarded when using host network mode"] : [];
    }

    /// <summary>A host-mode container without --hostname takes the host's name, as in Docker.</summary>
    internal static void DefaultHostModeHostname(ContainerConfig config, HostSettings host)
    {
        if (host.NetworkMode == "host" && config.Hostname.Length == 0) config.Hostname = Environment.MachineName;
    }

    /// <summary>After the generic files are written at create: a host-mode container gets the host's own hosts
    /// file (unless --add-host asks for entries) and resolv.conf (unless --dns* override it), byte for byte.</summary>
    internal void WriteHostModeFiles(ContainerRecord record)
    {
        if (record.Host.NetworkMode != "host") return;
        var paths = PathsOf(record);
        if (record.Host.ExtraHosts.Count == 0 && File.Exists(_options.HostHostsFile)) File.Copy(_options.HostHostsFile, paths.HostsFile, overwrite: true);
        if (record.Host.Dns.Count == 0 && record.Host.DnsSearch.Count == 0 && record.Host.DnsOptions.Count == 0 && File.Exists(_options.HostResolvConf))
            File.Copy(_options.HostResolvConf, paths.ResolvConfFile, overwrite: true);
    }

    /// <summary>At start of a container:&lt;id&gt; container: the target must run; the joiner takes its hostname and
    /// shares its hostname, hosts and resolv.conf files (bind-mounted, so later changes show), as Docker does.</summary>
    internal (string NamespacePath, ContainerPaths Files)? JoinedNetwork(ContainerRecord record)
    {
        var mode = record.Host.NetworkMode;
        if (!mode.StartsWith("container:", StringComparison.Ordinal)) return null;
        var target = mode["container:".Length..];
        if (target == record.Id) throw EngineException.Invalid("cannot join own network namespace");
        if (!TryGet(target, out var other))
            throw EngineException.NotFound($"joining network namespace of container: No such container: {target}");
        if (!other.State.Running)
            throw EngineException.Conflict($"{JoinNonRunning}: container {other.Name.TrimStart('/')} is {other.State.Status}");
        record.Config.Hostname = other.Config.Hostname;
        record.Config.Domainname = other.Config.Domainname;
        return ($"/proc/{other.State.Pid}/ns/net", PathsOf(other));
    }

    /// <summary>An --rm container whose start fails is removed, as in Docker; a target not running is such a
    /// failure although it is a conflict (other conflicts — paused, being removed — leave the container alone).</summary>
    internal static bool IsJoinFailure(Exception e) => e is EngineException { Kind: ErrorKind.Conflict } && e.Message.StartsWith(JoinNonRunning, StringComparison.Ordinal);
}
