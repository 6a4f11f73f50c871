namespace Wharf.Compose.Model;

public sealed record UlimitConfig(long Soft, long Hard);
