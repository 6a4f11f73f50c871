using System.IO.Pipelines;
using System.Net.Sockets;
using Wharf.Api.Streams;

namespace Wharf.Daemon.Http;

/// <summary>Joins a hijacked client and a shim stream like <see cref="StreamPump"/>, and also watches the client's
/// input for the detach keys: on them the session ends (the client's connection closes) while the container
/// or exec keeps running.</summary>
internal static class InteractivePump
{
    /// <summary>Returns true when the client detached with the keys, false when the output ended.</summary>
    public static async Task<bool> RunAsync(HijackedConnection client, Stream shim, Pipe? stdin, byte[] detachKeys, CancellationToken ct)
    {
        using var detach = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var output = CopyOutputAsync(shim, client.Output, detach.Token);
        var detached = false;
        var input = stdin is null ? Task.CompletedTask : Task.Run(async () =>
        {
            if (await CopyInputAsync(stdin.Reader.AsStream(), shim, detachKeys, detach.Token).ConfigureAwait(false))
            {
                detached = true;
                await detach.CancelAsync().ConfigureAwait(false);
            }
        }, CancellationToken.None);
        await output.ConfigureAwait(false);
        if (!detached) _ = input.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        return detached;
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
            // Either side went away, or the client detached: the session is over.
        }
    }

    /// <summary>True when the detach keys were seen (then the shim's input is NOT half-closed: the process keeps
    /// its stdin for the next attach).</summary>
    private static async Task<bool> CopyInputAsync(Stream from, Stream to, byte[] detachKeys, CancellationToken ct)
    {
        var scanner = new DetachKeyScanner(detachKeys);
        var buffer = new byte[16 * 1024];
        var filtered = new byte[buffer.Length + scanner.Slack];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                var count = scanner.Filter(buffer.AsSpan(0, n), filtered, out var detached);
                if (count > 0) await to.WriteAsync(filtered.AsMemory(0, count), ct).ConfigureAwait(false);
                if (detached) return true;
            }
            if (to is NetworkStream network) network.Socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        return false;
    }
}
