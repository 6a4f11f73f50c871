namespace Wharf.Shim;

/// <summary>Where the container's output goes: the log and every attached client.
/// While runc is starting, output is held back: runc prints its own failure message on the stderr it hands
/// to the container, and that text must not end up in the container's log. Once start succeeds the held
/// output is released in order; when start fails it is dropped. What is held is bounded: past
/// <see cref="MaxHeldBytes"/> the pump waits (and the container with it, on a full pipe) rather than the shim
/// growing. A failing log writer (full disk, a bug) costs the log, never the container or its attachers.</summary>
internal sealed class OutputHub : IDisposable
{
    /// <summary>Output held while runc starts, at most; runc's own messages are far smaller.</summary>
    public const int MaxHeldBytes = 1024 * 1024;

    private static readonly TimeSpan DisposeLimit = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly IContainerLogWriter _log;
    private readonly List<Attacher> _attachers = [];
    private readonly List<(OutputStream Stream, byte[] Data, DateTimeOffset Time)> _held = [];
    private readonly ManualResetEventSlim _released = new(false);
    private readonly TimeProvider _time;
    private int _heldBytes;
    private bool _live;
    private bool _discarded;
    private bool _completed;
    private bool _logFailing;

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
        while (true)
        {
            lock (_gate)
            {
                if (_completed || _discarded)
                    return;
                if (_live)
                {
                    Deliver(stream, chunk, now);
                    return;
                }
                if (_heldBytes + chunk.Length <= MaxHeldBytes || _held.Count == 0)
                {
                    _held.Add((stream, chunk.ToArray(), now));
                    _heldBytes += chunk.Length;
                    return;
                }
            }
            // Held output is full: wait for start to succeed or fail.
            _released.Wait();
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
            ClearHeld();
        }
    }

    /// <summary>Start failed: forget what runc wrote, and whatever still comes.</summary>
    public void DiscardHeld()
    {
        lock (_gate)
        {
            _discarded = true;
            ClearHeld();
        }
    }

    /// <summary>Output ended: flush partial log lines and let every client's send loop finish.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_completed)
                return;
            _completed = true;
            _released.Set();
            if (_live)
            {
                try
                {
                    _log.FlushPartialLines(_time.GetUtcNow());
                }
                catch (Exception e)
                {
                    ReportLogFailure(e);
                }
            }
            foreach (var a in _attachers)
                a.Complete();
            _attachers.Clear();
        }
    }

    /// <summary>Closes the log, unless a stuck write still holds it: the shim is leaving, and must not wait for it.</summary>
    public void Dispose()
    {
        if (!_gate.TryEnter(DisposeLimit))
            return;
        try
        {
            _log.Dispose();
        }
        catch (IOException e)
        {
            ReportLogFailure(e);
        }
        finally
        {
            _gate.Exit();
        }
    }

    private void ClearHeld()
    {
        _held.Clear();
        _heldBytes = 0;
        _released.Set();
    }

    private void Deliver(OutputStream stream, ReadOnlySpan<byte> chunk, DateTimeOffset time)
    {
        try
        {
            _log.Write(stream, chunk, time);
            if (_logFailing)
            {
                _logFailing = false;
                Console.Error.WriteLine("wharf-shim: log writes work again");
            }
        }
        catch (Exception e)
        {
            // A full disk (or a writer bug) must not stall the container: keep serving attachers.
            ReportLogFailure(e);
        }
        for (var i = _attachers.Count - 1; i >= 0; i--)
        {
            if (!_attachers[i].Offer(stream, chunk))
                _attachers.RemoveAt(i);
        }
    }

    /// <summary>Once per failing spell, not once per chunk: a full disk would otherwise flood the shim's stderr.</summary>
    private void ReportLogFailure(Exception e)
    {
        if (_logFailing)
            return;
        _logFailing = true;
        Console.Error.WriteLine($"wharf-shim: log write failed: {e.Message}");
    }
}
