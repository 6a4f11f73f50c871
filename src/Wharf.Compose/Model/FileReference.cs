namespace Wharf.Compose.Model;

/// <summary>A service's use of a secret or config: Target is the path inside the container.</summary>
public sealed record FileReference(string Source, string Target, string? Mode = null)
{
    /// <summary>The target as the file gave it (null when left out): Compose v2 hashes it unresolved.</summary>
    public string? GivenTarget { get; init; }

    public string? Uid { get; init; }

    public string? Gid { get; init; }

    /// <summary>The permission bits (mode: 0440 or "0440" are octal, a plain 288 decimal).</summary>
    public long? ModeValue { get; init; }
}
