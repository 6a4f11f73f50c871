using System.Security.Cryptography;
using System.Text;
using Wharf.Daemon.Configuration;
using Wharf.Daemon.Logging;
using Wharf.Engine.Cluster;
using Wharf.Engine.Events;
using Wharf.Engine.Networks;
using Wharf.Engine.Networks.Drivers;
using Wharf.Engine.Swarm;
using Wharf.Linux.Firewall;
using Wharf.Linux.Netlink;

namespace Wharf.Daemon;

/// <summary>Composes networking: the Linux netlink/namespace/firewall implementations behind the engine's
/// NetworkService. A daemon with a non-default exec root in the host's network namespace (a test daemon beside the
/// system one) gets its own default bridge name and chain prefix derived from that root, and removes them at
/// shutdown, so several daemons never share or delete each other's bridge or rules. Names can only clash inside one
/// network namespace: a daemon alone in a namespace of its own (a cluster host, a side-by-side benchmark) is a whole
/// host there and names its bridge and chains as the system daemon does.</summary>
internal static class NetworkSetup
{
    public const string DefaultExecRoot = "/run/wharf";

    public static NetworkService Create(DaemonSettings settings, EventBus events, TimeProvider time, ILogger logger, SwarmMembership swarm, DaemonCluster? cluster = null)
    {
        var isolated = settings.ExecRoot.TrimEnd('/') != DefaultExecRoot && SharesInitNetworkNamespace();
        var tag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(settings.ExecRoot)))[..6];
        var options = new NetworkOptions
        {
            DataRoot = settings.DataRoot,
            ExecRoot = settings.ExecRoot,
            DefaultBridge = settings.Bridge ?? (isolated ? "wh" + tag : "wharf0"),
            // Chain names may be 28 characters; DOCKER-ISOLATION-STAGE-1 leaves room for 4.
            ChainPrefix = isolated ? "w" + tag[..3] : "",
            Iptables = settings.Iptables,
            CleanupOnShutdown = isolated,
            DefaultPoolStart = isolated ? 1 + Convert.ToInt32(tag[..2], 16) % 30 : 0,
        };
        var firewall = new IptablesFirewall();
        return new NetworkService(options, new LinuxNetlink(), new LinuxNamespaceOps(), firewall,
            (action, id, attributes) => events.Publish("network", action, id, attributes), time, logger,
            context => [.. NetworkDriverRegistry.BuiltIn(context), OverlayFor(context, swarm, cluster)])
        {
            Firewall6 = new IptablesFirewall("ip6tables"),
            DescribeFirewall = settings.Iptables ? () => firewall.Description : null,
        };
    }

    /// <summary>Whether this process is in the host's first network namespace (the links read "net:[inode]"). That is
    /// kthreadd's (pid 2, a kernel thread, always there); PID 1's is the fallback inside a PID namespace — and may be
    /// unreadable (here PID 1 is a sandbox agent whose namespaces root cannot read). Unknown counts as shared, the
    /// careful answer.</summary>
    private static bool SharesInitNetworkNamespace()
    {
        try
        {
            var self = new FileInfo("/proc/self/ns/net").LinkTarget;
            var init = ReadComm(2) == "kthreadd" ? new FileInfo("/proc/2/ns/net").LinkTarget : new FileInfo("/proc/1/ns/net").LinkTarget;
            return self is null || init is null || self == init;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    private static string ReadComm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    // With a cluster store, overlay networks span the daemons sharing it (scope "global"); without one they are the
    // networks of the single-node swarm this daemon may manage (scope "swarm"), refused with a clear 503 outside it.
    private static INetworkDriver OverlayFor(NetworkDriverContext context, SwarmMembership swarm, DaemonCluster? cluster) => cluster is null
        ? new SwarmOverlayDriver(context, swarm)
        : new OverlayDriver(context, cluster.Store, cluster.Registry);

    /// <summary>Once at start: which iptables backend (and programs) the rules go through.</summary>
    public static void LogFirewall(ILogger logger, NetworkService networks)
    {
        if (networks.DescribeFirewall is not { } describe) return;
        try { NetworkLog.FirewallBackend(logger, describe()); }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception) { NetworkLog.FirewallBackendUnknown(logger, e.Message); }
    }
}
