using System.Net;
using Wharf.Core.Errors;

namespace Wharf.Engine.Networks;

public sealed partial class NetworkService
{
    /// <summary>The checks Docker makes on a requested static address before any container runs (docker create
    /// --ip, network connect --ip on a stopped container): it must be an address of the network's family and lie in
    /// one of its subnets. Whether it is free is only known when the endpoint is created, at start. A global network
    /// must also be joinable in the cluster store now (a 503 when the store is away: no container that cannot start).</summary>
    public void CheckEndpointRequest(string networkNameOrId, EndpointRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var network = Get(networkNameOrId);
        foreach (var wanted in new[] { request.IPv4Address, request.IPv6Address }.Where(a => a.Length > 0))
        {
            if (!IPAddress.TryParse(wanted, out var ip)) throw EngineException.Invalid($"invalid IP address: {wanted}");
            if (!network.Ipam.Any(p => Subnet.TryParse(p.Subnet, out var subnet) && subnet.Contains(ip)))
                throw EngineException.Invalid($"invalid endpoint settings:\nno configured subnet or ip-range contain the IP address {wanted}");
        }
        foreach (var linkLocal in request.LinkLocalIPs)
            if (!IPAddress.TryParse(linkLocal, out _)) throw EngineException.Invalid($"invalid endpoint settings:\ninvalid link-local IP address: {linkLocal}");
        if (request.MacAddress.Length > 0) NormalizedMac(request.MacAddress);
        CheckGlobalJoinable(network);
    }
}
