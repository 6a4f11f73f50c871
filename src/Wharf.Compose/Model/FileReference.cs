namespace Wharf.Compose.Model;

/// <summary>A service's use of a secret or config: Target is the path inside the container.</summary>
public sealed record FileReference(string Source, string Target, string? Mode = null);
