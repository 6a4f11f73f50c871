using Wharf.Engine.Networks.Drivers;

namespace Wharf.Engine.Networks;

/// <summary>How the service reaches its drivers.</summary>
public sealed partial class NetworkService
{
    /// <summary>What the network's driver offers; nothing at all for a record whose driver is not registered (a
    /// record written by a daemon that had a driver this one lacks: it is kept, but nothing is done with it).</summary>
    public NetworkDriverCapabilities CapabilitiesOf(NetworkRecord network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Drivers.TryGet(network.Driver, out var driver) ? driver.Capabilities : NoCapabilities;
    }

    private static readonly NetworkDriverCapabilities NoCapabilities = new();

    /// <summary>At start: every driver re-creates what its networks need; returns the crash leftovers they found.</summary>
    private List<NetworkRecord> RestoreDrivers()
    {
        var all = All();
        var stale = new List<NetworkRecord>();
        foreach (var name in Drivers.Names)
        {
            var driver = Drivers.Get(name);
            stale.AddRange(CallDriver(driver.RestoreAsync([.. all.Where(n => n.Driver == name)], CancellationToken.None)));
        }
        return stale;
    }

    /// <summary>The service's own surface is synchronous (its callers run it on a thread of their own: the network
    /// setup of a start runs beside the shim launch); every built-in driver completes at once, so this never blocks
    /// for them. A driver that really waits (overlay's cluster store) is the point to make the service asynchronous
    /// end to end; the driver interface already is.</summary>
    private static void CallDriver(ValueTask step)
    {
        if (step.IsCompletedSuccessfully) return;
        step.AsTask().GetAwaiter().GetResult();
    }

    private static T CallDriver<T>(ValueTask<T> step) => step.IsCompletedSuccessfully ? step.Result : step.AsTask().GetAwaiter().GetResult();
}
