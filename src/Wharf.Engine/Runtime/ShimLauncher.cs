using Wharf.Core.Host;
using Wharf.Core.Shim;

namespace Wharf.Engine.Runtime;

/// <summary>Starts a container's wharf-shim and waits until its socket accepts connections.</summary>
internal sealed class ShimLauncher(IProcessSpawner spawner, EngineOptions options)
{
    public async Task LaunchAsync(ShimOptions shim, CancellationToken ct)
    {
        Directory.CreateDirectory(shim.StateDir);
        var socket = ShimPaths.Socket(shim.StateDir);
        // Deleting a live shim's socket would cut it off from every daemon for good (an orphan shim); the lifecycle
        // sends a previous run's shim away first, so one still answering here is a bug to report, not to hide.
        if (ShimConnection.IsAlive(socket)) throw new IOException($"a wharf-shim still serves {shim.StateDir}");
        if (File.Exists(socket)) File.Delete(socket);
        var pid = spawner.SpawnDetached(options.ShimPath, shim.ToArgs(), Path.Combine(shim.StateDir, "shim.log"));
        try
        {
            await WaitUntilReadyAsync(shim, socket, pid, ct).ConfigureAwait(false);
        }
        catch
        {
            // A launch given up (the request was cancelled, the shim was slow to listen) must not leave the shim
            // behind: nobody would ever start or abandon it, and it would wait for a start forever.
            spawner.Kill(pid);
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(ShimOptions shim, string socket, int pid, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + options.ShimReadyTimeout;
        // Poll at a fine grain: a NativeAOT shim listens within ~10 ms, and every millisecond of polling slack
        // is a millisecond added to `docker run` (a connect() to a unix socket costs microseconds).
        while (!ShimConnection.IsAlive(socket))
        {
            if (DateTime.UtcNow > deadline)
                throw new IOException($"wharf-shim (pid {pid}) did not become ready within {options.ShimReadyTimeout.TotalSeconds} s: {ReadShimLog(shim.StateDir)}");
            await Task.Delay(1, ct).ConfigureAwait(false);
        }
    }

    private static string ReadShimLog(string stateDir)
    {
        var log = Path.Combine(stateDir, "shim.log");
        return File.Exists(log) ? File.ReadAllText(log).Trim() : "(no shim log)";
    }
}
