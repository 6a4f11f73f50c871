using System.Net.Sockets;

namespace Wharf.Daemon.Http;

/// <summary>Joins a hijacked client connection and a shim attach stream. Output runs until the shim closes its
/// side (the container has exited and its output is drained). A client that half-closes (the docker CLI does so
/// at once when it has no stdin) is not a disconnect: we pass the EOF on to the shim so the container's stdin
/// closes, and keep sending output.</summary>
internal static class StreamPump
{
    /// <summary>Starts reading the client's stdin at once, into a buffer, so nothing it sends before the
    /// container starts (docker run -i sends stdin and its EOF straight after the 101) is lost or stalled.</summary>
    public static System.IO.Pipelines.Pipe BufferInput(Stream clientInput, CancellationToken ct)
    {
        var pipe = new System.IO.Pipelines.Pipe();
        _ = Task.Run(async () =>
        {
            var writer = pipe.Writer.AsStream();
            try
            {
                await clientInput.CopyToAsync(writer, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
            finally
            {
                await pipe.Writer.CompleteAsync().ConfigureAwait(false);
            }
        }, ct);
        return pipe;
    }

    public static async Task RunAsync(HijackedConnection client, Stream shim, System.IO.Pipelines.Pipe? stdin, CancellationToken ct)
    {
        var output = CopyOutputAsync(shim, client.Output, ct);
        var input = stdin is not null ? CopyInputAsync(stdin.Reader.AsStream(), shim, ct) : Task.CompletedTask;
        await output.ConfigureAwait(false);
        _ = input.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
    }

    private static async Task CopyOutputAsync(Stream from, Stream to, CancellationToken ct)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                await to.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Either side went away: the attach is over.
        }
    }

    private static async Task CopyInputAsync(Stream from, Stream to, CancellationToken ct)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                await to.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
            if (to is NetworkStream network) network.Socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
