namespace Wharf.Compose.Planning;

/// <summary>A service's references to other services' containers in the form Compose v2 hashes them once it has
/// resolved them (network_mode, ipc and pid "service:x" as "container:ID"; volumes_from as names and ids); a null
/// member means "as written".</summary>
public sealed record ResolvedReferences(
    string? NetworkMode = null,
    IReadOnlyList<string>? VolumesFrom = null,
    string? Ipc = null,
    string? Pid = null)
{
    public static ResolvedReferences AsWritten { get; } = new();
}
