using Wharf.Core.Shim;
using Wharf.Engine.Runtime;

namespace Wharf.Engine.Containers;

public sealed partial class ContainerService
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
                connection = ConnectAttachAsync(ShimPaths.Socket(PathsOf(entry.Record).StateDir), request, ct);
            }
            else
            {
                var pending = new PendingAttach(request, NewWaiter<Stream>());
                entry.PendingAttaches.Enqueue(pending);
                connection = pending.Connection.Task;
            }
        }
        finally
        {
            entry.Gate.Release();
        }
        Publish(entry.Record, "attach");
        return connection;
    }

    private static async Task<Stream> ConnectAttachAsync(string socket, ShimRequest request, CancellationToken ct)
    {
        var stream = await ShimConnection.OpenAsync(socket, request, ct).ConfigureAwait(false);
        var answer = await ShimConnection.ReadResponseAsync(stream, ct).ConfigureAwait(false);
        if (!answer.Ok)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new IOException(answer.Error ?? "attach refused by shim");
        }
        return stream;
    }

    private static async Task ConnectPendingAttachesAsync(ContainerEntry entry, string socket, CancellationToken ct)
    {
        while (entry.PendingAttaches.TryDequeue(out var pending))
        {
            if (pending.Connection.Task.IsCompleted) continue; // its client went away
            try
            {
                pending.Connection.TrySetResult(await ConnectAttachAsync(socket, pending.Request, ct).ConfigureAwait(false));
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
            {
                pending.Connection.TrySetException(e);
            }
        }
    }

    private static void FailPendingAttaches(ContainerEntry entry, Exception reason)
    {
        while (entry.PendingAttaches.TryDequeue(out var pending)) pending.Connection.TrySetException(reason);
    }
}
