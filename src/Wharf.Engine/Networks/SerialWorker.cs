using System.Threading.Channels;

namespace Wharf.Engine.Networks;

/// <summary>Runs kernel work (unpinning a stopped container's namespace, deleting its veths and port rules,
/// persisting the released endpoints) one item at a time, in order, on one thread: removals and exits in flight at the
/// same moment queue their work here, where it can be merged (port rule deletions share one iptables-restore), and
/// their answers wait for their own items (<see cref="NetworkService.WhenTornDown"/>). Order matters (a port's rules
/// are added before they are deleted), so there is a single consumer. <see cref="Flush"/> waits for everything queued
/// so far (daemon shutdown, tests).</summary>
public sealed class SerialWorker : IDisposable
{
    private readonly Channel<(Action? Work, TaskCompletionSource? Done)> _queue =
        Channel.CreateUnbounded<(Action?, TaskCompletionSource?)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<Exception> _onError;
    private readonly Task _loop;

    public SerialWorker(Action<Exception> onError)
    {
        _onError = onError;
        _loop = Task.Run(LoopAsync);
    }

    public void Enqueue(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!_queue.Writer.TryWrite((work, null))) RunSafely(work); // after Dispose: do it inline, never drop it
    }

    /// <summary>Blocks until every item queued before this call has run.</summary>
    public void Flush()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((null, done))) return;
        done.Task.Wait();
    }

    private async Task LoopAsync()
    {
        await foreach (var (work, done) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (work is not null) RunSafely(work);
            done?.TrySetResult();
        }
    }

    private void RunSafely(Action work)
    {
        try { work(); }
        catch (Exception e) { _onError(e); } // best effort teardown: one failing step must not stop the others
    }

    /// <summary>Runs what is queued, then stops.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _loop.Wait();
    }
}
