namespace Wharf.Engine.Execs;

/// <summary>What POST /containers/{id}/exec asks for, in engine terms.</summary>
public sealed record ExecCreateParams
{
    public required IReadOnlyList<string> Cmd { get; init; }
    public IReadOnlyList<string> Env { get; init; } = [];
    public string User { get; init; } = "";
    public string WorkingDir { get; init; } = "";
    public bool Tty { get; init; }
    public bool Privileged { get; init; }
    public bool AttachStdin { get; init; }
    public bool AttachStdout { get; init; }
    public bool AttachStderr { get; init; }
    public string DetachKeys { get; init; } = "";
    /// <summary>[height, width] the client sent, if any.</summary>
    public (int Height, int Width)? ConsoleSize { get; init; }
}
