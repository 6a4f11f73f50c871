namespace Wharf.Engine.Execs;

/// <summary>One exec instance. Lives in memory only, like Docker's: a daemon restart forgets it.</summary>
public sealed class ExecRecord
{
    public required string Id { get; init; }
    public required string ContainerId { get; init; }
    public required ExecCreateParams Config { get; init; }
    public bool Running { get; internal set; }
    /// <summary>Null until the process has exited.</summary>
    public int? ExitCode { get; internal set; }
    public int Pid { get; internal set; }
    /// <summary>Set once start was called: an exec runs at most once.</summary>
    public bool Started { get; internal set; }
    /// <summary>Completed once start has run the process (or failed): resize waits for it.</summary>
    internal TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>Completed with the exit code when the process ends (or fails to start).</summary>
    internal TaskCompletionSource<int> Exited { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Docker's "exec_create: sh -c date" spelling of the command, for events.</summary>
    public string CommandLine => string.Join(' ', Config.Cmd);
}
