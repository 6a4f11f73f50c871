using System.Runtime.InteropServices;

namespace Wharf.Linux;

/// <summary>What <see cref="PosixSpawner"/> starts. A null std handle means: <see cref="OutputFile"/> for
/// stdout/stderr when given (opened O_APPEND|O_CREAT), else /dev/null.</summary>
public sealed record SpawnRequest
{
    /// <summary>Absolute path of the executable, or a bare name looked up in PATH.</summary>
    public required string Path { get; init; }
    /// <summary>Arguments after argv[0] (argv[0] is <see cref="Path"/>).</summary>
    public IReadOnlyList<string> Args { get; init; } = [];
    public SafeHandle? Stdin { get; init; }
    public SafeHandle? Stdout { get; init; }
    public SafeHandle? Stderr { get; init; }
    public string? OutputFile { get; init; }
    /// <summary>Start the child in a new session (setsid), detached from our terminal and process group.</summary>
    public bool NewSession { get; init; }
    /// <summary>Handed to the child as fds 3, 4, ... in order (everything else above 2 is closed).</summary>
    public IReadOnlyList<SafeHandle> ExtraFds { get; init; } = [];
}
