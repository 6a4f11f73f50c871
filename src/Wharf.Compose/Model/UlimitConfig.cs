namespace Wharf.Compose.Model;

/// <summary>Single: written as one number (soft = hard), which Compose v2 hashes differently from soft/hard.</summary>
public sealed record UlimitConfig(long Soft, long Hard, bool Single = false);
