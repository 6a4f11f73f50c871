namespace Wharf.Shim;

/// <summary>Where the container's output goes: the json-file log and every attached client.
/// While runc is starting, output is held back: runc prints its own failure message on the stderr it hands
/// to the container, and that text must not end up in the container's log. Once start succeeds the held
/// output is released in order; when start fails it is dropped.</summary>
internal sealed class OutputHub : IDisposable
{
    private readonly Lock _gate = new();
    private readonly IContainerLogWriter _log;
    private readonly List<Attacher> _attachers = [];
    private readonly List<(OutputStream Stream, byte[] Data, DateTimeOffset Time)> _held = [];
    private readonly TimeProvider _time;
    private bool _live;
    private bool _completed;

    public OutputHub(IContainerLogWriter log, TimeProvider time)
    {
        _log = log;
        _time = time;
    }

    /// <summary>Adds a client. False when output has already ended (the caller closes it at once).</summary>
    public bool TryAdd(Attacher attacher)
    {
        lock (_gate)
        {
            if (_completed)
                return false;
            _attachers.Add(attacher);
            return true;
        }
    }

    public void Publish(OutputStream stream, ReadOnlySpan<byte> chunk)
    {
        // Stamp the time the bytes arrived, not the time they are released after a held start.
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_completed)
                return;
            if (!_live)
            {
                _held.Add((stream, chunk.ToArray(), now));
                return;
            }
            Deliver(stream, chunk, now);
        }
    }

    /// <summary>Start succeeded: release held output and pass everything through from now on.</summary>
    public void GoLive()
    {
        lock (_gate)
        {
            _live = true;
            foreach (var (stream, data, time) in _held)
                Deliver(stream, data, time);
            _held.Clear();
        }
    }

    /// <summary>Start failed: forget what runc wrote.</summary>
    public void DiscardHeld()
    {
        lock (_gate)
            _held.Clear();
    }

    /// <summary>Output ended: flush partial log lines and let every client's send loop finish.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_completed)
                return;
            _completed = true;
            if (_live)
                _log.FlushPartialLines(_time.GetUtcNow());
            foreach (var a in _attachers)
                a.Complete();
            _attachers.Clear();
        }
    }

    public void Dispose()
    {
        lock (_gate)
            _log.Dispose();
    }

    private void Deliver(OutputStream stream, ReadOnlySpan<byte> chunk, DateTimeOffset time)
    {
        try
        {
            _log.Write(stream, chunk, time);
        }
        catch (IOException e)
        {
            // A full disk must not stall the container: keep serving attachers.
            Console.Error.WriteLine($"wharf-shim: log write failed: {e.Message}");
        }
        for (var i = _attachers.Count - 1; i >= 0; i--)
        {
            if (!_attachers[i].Offer(stream, chunk))
                _attachers.RemoveAt(i);
        }
    }
}
