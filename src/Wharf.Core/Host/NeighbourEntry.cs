using System.Net;

namespace Wharf.Core.Host;

/// <summary>One neighbour or FDB entry: MAC, the address it maps to (ARP/NDP) or is reached through (VXLAN FDB),
/// and the NUD state bits.</summary>
public sealed record NeighbourEntry(string MacAddress, IPAddress? Destination, int State);
