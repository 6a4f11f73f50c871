namespace Wharf.Engine.Networks.Drivers;

/// <summary>The predefined <c>host</c> network: containers share the host's network namespace (and its hosts and
/// resolv.conf).</summary>
public sealed class HostDriver() : PredefinedNetworkDriver(DriverName, new() { UsesHostNamespace = true, Singleton = true })
{
    public const string DriverName = "host";
}
