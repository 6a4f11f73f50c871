namespace Wharf.Engine.Networks.Drivers;

/// <summary>The predefined <c>none</c> network (driver "null"): containers get a namespace of their own with loopback
/// only.</summary>
public sealed class NullDriver() : PredefinedNetworkDriver(DriverName, new() { Singleton = true })
{
    public const string DriverName = "null";
}
