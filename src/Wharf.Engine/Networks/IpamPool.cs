namespace Wharf.Engine.Networks;

/// <summary>One IPAM config entry of a network (Docker's IPAM.Config[i]).</summary>
public sealed class IpamPool
{
    public string Subnet { get; set; } = "";
    public string Gateway { get; set; } = "";
    public string IPRange { get; set; } = "";
}
