using System.IO.Pipes;
using Wharf.Core.Host;

namespace Wharf.Engine.Containers.Archive;

/// <summary>Streams between confined work and the network through an OS pipe. Confined work may block on plain
/// read/write syscalls but must not touch anything that queues to the thread pool (a network stream's synchronous
/// write does): a worker thread created from a confined thread would share its root (see IRootConfinement). The
/// network side runs unconfined, asynchronously, on the other end of the pipe.</summary>
public static class ConfinedStreams
{
    /// <summary>Runs <paramref name="produce"/> confined to <paramref name="root"/>, sending what it writes to
    /// <paramref name="destination"/>.</summary>
    public static async Task WriteAsync(IRootConfinement confinement, string root, Action<string, Stream> produce, Stream destination, CancellationToken ct)
    {
        var server = new AnonymousPipeServerStream(PipeDirection.Out);
        await using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var producer = confinement.RunAsync(root, inside =>
        {
            using (server) produce(inside, server);
            return true;
        });
        try
        {
            await client.CopyToAsync(destination, ct).ConfigureAwait(false);
        }
        catch
        {
            // The reader is gone: closing our end makes the producer's next write fail (EPIPE) so it ends too.
            await client.DisposeAsync().ConfigureAwait(false);
            await ObserveAsync(producer).ConfigureAwait(false);
            throw;
        }
        await producer.ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="consume"/> confined to <paramref name="root"/>, reading what comes from
    /// <paramref name="source"/>.</summary>
    public static async Task<T> ReadAsync<T>(IRootConfinement confinement, string root, Stream source, Func<string, Stream, T> consume, CancellationToken ct)
    {
        var server = new AnonymousPipeServerStream(PipeDirection.Out);
        var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var consumer = confinement.RunAsync(root, inside =>
        {
            using (client) return consume(inside, client);
        });
        try
        {
            await using (server) await source.CopyToAsync(server, ct).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Either the consumer stopped reading (done early, or failed: its outcome is the one that matters) or
            // the source failed: our end is closed by now, so the consumer sees the end of its input and stops.
            await Task.WhenAny(consumer, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false);
            if (!consumer.IsCompleted) throw;
        }
        return await consumer.ConfigureAwait(false);
    }

    private static async Task ObserveAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The write into the closed pipe: expected once the reader went away.
        }
    }
}
