using Wharf.Api.Containers;

namespace Wharf.Api.Networks;

/// <summary>POST /networks/{id}/connect.</summary>
public sealed class NetworkConnectRequest
{
    public string Container { get; set; } = "";
    public EndpointSettings? EndpointConfig { get; set; }
}
