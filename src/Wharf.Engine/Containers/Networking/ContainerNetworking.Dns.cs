using System.Net;
using Wharf.Engine.Containers.Store;

namespace Wharf.Engine.Containers.Networking;

public sealed partial class ContainerNetworking
{
    /// <summary>The upstream resolvers of the embedded DNS server for one container: its --dns servers on port 53,
    /// or null (the host's resolvers) when it has none or is unknown.</summary>
    private IReadOnlyList<IPEndPoint>? DnsUpstreamsOf(string containerId)
    {
        if (!TryGet(containerId, out var record) || record.Host.Dns.Count == 0) return null;
        var servers = new List<IPEndPoint>(record.Host.Dns.Count);
        foreach (var server in record.Host.Dns)
            if (IPAddress.TryParse(server, out var address)) servers.Add(new IPEndPoint(address, 53));
        return servers;
    }
}
