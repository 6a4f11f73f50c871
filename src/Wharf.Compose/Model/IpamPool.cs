namespace Wharf.Compose.Model;

public sealed record IpamPool(string? Subnet, string? Gateway, string? IpRange);
