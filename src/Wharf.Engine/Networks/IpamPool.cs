namespace Wharf.Engine.Networks;

/// <summary>One IPAM config entry of a network (Docker's IPAM.Config[i]).</summary>
public sealed class IpamPool
{
    public string Subnet { get; set; } = "";
    public string Gateway { get; set; } = "";
    public string IPRange { get; set; } = "";
    /// <summary>Docker's AuxiliaryAddresses (--aux-address name=ip): addresses used by something outside Wharf
    /// (a router, a host on the segment). Never handed to a container.</summary>
    public Dictionary<string, string> AuxiliaryAddresses { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Picked by the daemon (no --subnet for this family): static --ip/--ip6 are refused on it, as in
    /// Docker, because the subnet may differ after the network is re-created. False in records written before this
    /// field existed, so networks made then keep accepting static addresses as they always did.</summary>
    public bool AutoAllocated { get; set; }
}
