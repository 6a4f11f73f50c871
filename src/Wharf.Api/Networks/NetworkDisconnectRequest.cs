namespace Wharf.Api.Networks;

/// <summary>POST /networks/{id}/disconnect.</summary>
public sealed class NetworkDisconnectRequest
{
    public string Container { get; set; } = "";
    public bool Force { get; set; }
}
