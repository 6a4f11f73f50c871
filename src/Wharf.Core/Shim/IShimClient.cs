namespace Wharf.Core.Shim;

/// <summary>The daemon's side of a container's wharf-shim (protocol in <see cref="ShimOps"/>). A shim is named by
/// the container's state directory. The engine reaches every shim through this port, so the container lifecycle
/// (start, exit, restart, health) can be driven by a fake in tests; the socket implementation lives in the
/// engine's Runtime folder.</summary>
public interface IShimClient
{
    /// <summary>Spawns the shim for <paramref name="shim"/> and returns once it accepts connections.</summary>
    Task LaunchAsync(ShimOptions shim, CancellationToken ct);

    /// <summary>True when a shim answers on the state directory's socket.</summary>
    bool IsAlive(string stateDir);

    /// <summary>Runs the container (runc run -d). Ok=false carries runc's own error text.</summary>
    Task<ShimResponse> StartAsync(string stateDir, CancellationToken ct);

    /// <summary>Sends a launched shim away before start was asked (best effort: a shim that is gone is fine).</summary>
    Task AbandonAsync(string stateDir);

    /// <summary>The shim's view of its container: Status "created" (not started, or runc still starting it),
    /// "running" with Pid, or "exited" with ExitCode/FinishedAt.</summary>
    Task<ShimResponse> StateAsync(string stateDir, CancellationToken ct);

    /// <summary>The live wharf-shim processes whose state directory is below <paramref name="containersDir"/>, found
    /// by their command line, so that a shim whose socket or state directory is gone is still found.</summary>
    IReadOnlyList<ShimProcess> ListShims(string containersDir);

    /// <summary>SIGKILL to a shim process found by <see cref="ListShims"/>.</summary>
    void KillShim(int pid);

    /// <summary>Signals the container's init, or the exec <paramref name="execId"/>.</summary>
    Task<ShimResponse> KillAsync(string stateDir, int signal, string? execId, CancellationToken ct);

    /// <summary>Completes when the container (or the exec) has exited: ExitCode, FinishedAt, OomKilled. Throws
    /// IOException or SocketException when the shim goes away without answering.</summary>
    Task<ShimResponse> WaitAsync(string stateDir, string? execId, CancellationToken ct);

    /// <summary>Sets the pty size of the container (or of the exec).</summary>
    Task<ShimResponse> ResizeAsync(string stateDir, string? execId, int height, int width, CancellationToken ct);

    /// <summary>Sends an attach or exec request and returns the answer with the raw stream that follows it (null
    /// unless the answer is Ok; the caller owns and disposes a returned stream).</summary>
    Task<ShimSession> OpenAsync(string stateDir, ShimRequest request, CancellationToken ct);

    /// <summary>The exit status the shim wrote before it went, or null when there is none (no file, unreadable).</summary>
    ShimExitRecord? ReadExitFile(string stateDir);
}
