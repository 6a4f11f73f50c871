using Wharf.Core.Shim;
using Wharf.Engine.Containers.Store;

namespace Wharf.Engine.Containers.Io;

public sealed partial class ContainerIo
{
    /// <summary>Attaches to the container's stdio. Returns the shim's stream (stdcopy-framed output without a TTY)
    /// once the container runs: at once when it is running, else when it is next started.</summary>
    public async Task<Stream> AttachAsync(string nameOrId, bool stdin, bool stdout, bool stderr, CancellationToken ct)
    {
        var connection = await BeginAttachAsync(nameOrId, stdin, stdout, stderr, ct).ConfigureAwait(false);
        return await connection.WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Registers the attach and returns as soon as it is registered, with the pending connection. The API
    /// must register BEFORE it answers "101 UPGRADED": clients send start right after the upgrade, and an attach
    /// registered after that start would miss the output of a short-lived container.</summary>
    public async Task<Task<Stream>> BeginAttachAsync(string nameOrId, bool stdin, bool stdout, bool stderr, CancellationToken ct)
    {
        var entry = Find(nameOrId);
        var request = new ShimRequest { Op = ShimOps.Attach, Stdin = stdin && entry.Record.Config.OpenStdin, Stdout = stdout, Stderr = stderr };
        Task<Stream> connection;
        await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (entry.Record.State.Running)
            {
                connection = ConnectAttachAsync(PathsOf(entry.Record.Id).StateDir, request, ct);
            }
            else
            {
                var pending = new PendingAttach(request, ContainerEntry.NewWaiter<Stream>());
                entry.PendingAttaches.Enqueue(pending);
                connection = pending.Connection.Task;
            }
            _events.Publish(entry.Record, "attach");
        }
        finally
        {
            entry.Gate.Release();
        }
        return connection;
    }

    private async Task<Stream> ConnectAttachAsync(string stateDir, ShimRequest request, CancellationToken ct)
    {
        var session = await _shims.OpenAsync(stateDir, request, ct).ConfigureAwait(false);
        return session.Stream ?? throw new IOException(session.Answer.Error ?? "attach refused by shim");
    }

    internal async Task ConnectPendingAttachesAsync(ContainerEntry entry, string stateDir, CancellationToken ct)
    {
        while (entry.PendingAttaches.TryDequeue(out var pending))
        {
            if (pending.Connection.Task.IsCompleted) continue; // its client went away
            try
            {
                pending.Connection.TrySetResult(await ConnectAttachAsync(stateDir, pending.Request, ct).ConfigureAwait(false));
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
            {
                ContainerLog.AttachFailed(_log, e, entry.Record.Id);
                pending.Connection.TrySetException(e);
            }
        }
    }

    internal static void FailPendingAttaches(ContainerEntry entry, Exception reason)
    {
        while (entry.PendingAttaches.TryDequeue(out var pending)) pending.Connection.TrySetException(reason);
    }
}
