namespace Wharf.Engine.Networks;

/// <summary>One published port: host address and port (empty/0 = any / a random free one) for a container port.</summary>
public sealed class PortMapping
{
    public string HostIp { get; set; } = "";
    public string HostPort { get; set; } = "";
}
