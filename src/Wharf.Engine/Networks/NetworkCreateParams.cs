namespace Wharf.Engine.Networks;

/// <summary>A network create request after the API edge has bound it.</summary>
public sealed record NetworkCreateParams(
    string Name,
    string Driver,
    bool Internal,
    bool Attachable,
    bool EnableIPv6,
    IReadOnlyList<IpamPool> Ipam,
    IReadOnlyDictionary<string, string> Options,
    IReadOnlyDictionary<string, string> Labels,
    string IpamDriver = "default",
    bool Ingress = false,
    string Scope = "");
