using System.Globalization;
using Microsoft.Extensions.Logging;
using Wharf.Core.Host;

namespace Wharf.Engine.Networks.Drivers;

/// <summary>What the service lends its drivers: the host port they hand their decisions to, where they may keep
/// state of their own, the daemon's MTU, a snapshot of every network (a driver checks clashes among its own), and
/// the networking logger.</summary>
public sealed class NetworkDriverContext(INetlink netlink, string storeDir, int defaultMtu, Func<IReadOnlyList<NetworkRecord>> networks, ILogger logger)
{
    public INetlink Netlink { get; } = netlink;

    /// <summary>data-root/network: a driver's own files go in a subdirectory named after it.</summary>
    public string StoreDir { get; } = storeDir;

    public ILogger Logger { get; } = logger;

    /// <summary>The daemon's MTU (0: the kernel's), for a driver that lends its context to another.</summary>
    public int DefaultMtu { get; } = defaultMtu;

    public IReadOnlyList<NetworkRecord> Networks() => networks();

    /// <summary>Set by the service: a driver calls it when what <see cref="INetworkDriver.RemoteEndpointsOf"/> answers
    /// changed (the embedded DNS rebuilds its table).</summary>
    public Action? RemoteEndpointsChanged { get; set; }

    /// <summary>The network's MTU option when set (and not the kernel's 1500), else the daemon's (0: the kernel's).</summary>
    public int MtuOf(NetworkRecord network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Options.TryGetValue(DriverOptionRules.Mtu, out var m) && int.TryParse(m, CultureInfo.InvariantCulture, out var mtu) && mtu > 0 && mtu != 1500 ? mtu : DefaultMtu;
    }

    /// <summary>Deletes a host link; false (logged) when the kernel refused, so the link may still be there.</summary>
    public bool TryDeleteLink(string name, string? namespacePath = null)
    {
        try
        {
            Netlink.DeleteLink(name, namespacePath);
            return true;
        }
        catch (IOException e)
        {
            NetworkLog.LinkNotDeleted(Logger, name, e.Message);
            return false;
        }
    }
}
