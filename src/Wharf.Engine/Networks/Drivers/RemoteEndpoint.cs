using System.Net;

namespace Wharf.Engine.Networks.Drivers;

/// <summary>An endpoint of a global network living on another host: what the embedded DNS answers for it here (its
/// container's names and aliases → its address on the network).</summary>
public sealed record RemoteEndpoint(IReadOnlyList<string> Names, IPAddress Address);
