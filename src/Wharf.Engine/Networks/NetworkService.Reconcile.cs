namespace Wharf.Engine.Networks;

public sealed partial class NetworkService
{
    /// <summary>How the firewall describes itself (its backend and programs) for the daemon's start log; null
    /// without iptables.</summary>
    public Func<string>? DescribeFirewall { get; init; }
}
