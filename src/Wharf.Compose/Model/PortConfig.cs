namespace Wharf.Compose.Model;

/// <summary>A published or exposed port in long syntax; short syntax ranges expand to one per port.</summary>
public sealed record PortConfig(int Target, string? Published, string? HostIp, string Protocol = "tcp", string Mode = "ingress", string? Name = null);
