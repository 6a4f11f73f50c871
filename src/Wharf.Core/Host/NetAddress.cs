using System.Net;

namespace Wharf.Core.Host;

/// <summary>An interface address or a route destination: an IP address with its prefix length ("172.18.0.2/16").</summary>
public sealed record NetAddress(IPAddress Address, int PrefixLength)
{
    public override string ToString() => $"{Address}/{PrefixLength}";
}
