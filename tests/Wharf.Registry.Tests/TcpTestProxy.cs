using System.Net;
using System.Net.Sockets;

namespace Wharf.Registry.Tests;

/// <summary>A loopback TCP relay in front of a registry: counts how many connections carry data at once (the
/// engine's HTTP/1.1 requests each hold a connection, so this is its request concurrency), can slow the answers
/// down so transfers overlap, and can cut a connection once it has relayed a given number of response bytes.</summary>
internal sealed class TcpTestProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private int _active;
    private int _peak;
    private int _dropsLeft;
    private long _bytesRelayed;

    public TcpTestProxy(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Most connections relaying a response at the same time.</summary>
    public int PeakActive => Volatile.Read(ref _peak);

    /// <summary>Delay per 64 KiB of response relayed.</summary>
    public TimeSpan Throttle { get; set; }

    /// <summary>Responses longer than this are cut after this many bytes, <see cref="Drops"/> times.</summary>
    public long DropAfterBytes { get; set; } = long.MaxValue;

    public int Drops
    {
        get => Volatile.Read(ref _dropsLeft);
        set => Volatile.Write(ref _dropsLeft, value);
    }

    /// <summary>Response bytes relayed so far, over all connections.</summary>
    public long BytesRelayed => Interlocked.Read(ref _bytesRelayed);

    public void ResetPeak() => Volatile.Write(ref _peak, 0);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_connections) _connections.Add(RelayAsync(client));
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        using (client)
        {
            try
            {
                await upstream.ConnectAsync(_target, _stop.Token);
                var requests = client.GetStream().CopyToAsync(upstream.GetStream(), _stop.Token);
                var responses = RelayResponsesAsync(upstream.GetStream(), client.GetStream());
                await Task.WhenAny(requests, responses);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task RelayResponsesAsync(Stream from, Stream to)
    {
        var buffer = new byte[64 * 1024];
        long relayed = 0;
        var counted = false;
        try
        {
            while (true)
            {
                var n = await from.ReadAsync(buffer, _stop.Token);
                if (n == 0) return;
                if (!counted)
                {
                    counted = true;
                    var now = Interlocked.Increment(ref _active);
                    int peak;
                    while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak) { }
                }
                relayed += n;
                Interlocked.Add(ref _bytesRelayed, n);
                if (relayed > DropAfterBytes && Interlocked.Decrement(ref _dropsLeft) >= 0)
                {
                    await to.WriteAsync(buffer.AsMemory(0, (int)(n - (relayed - DropAfterBytes))), _stop.Token);
                    return;
                }
                await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                if (Throttle > TimeSpan.Zero) await Task.Delay(Throttle, _stop.Token);
                // A short answer (manifest, HEAD) ends the busy spell of this connection.
                if (n < buffer.Length && from is NetworkStream { DataAvailable: false })
                {
                    if (counted) Interlocked.Decrement(ref _active);
                    counted = false;
                }
            }
        }
        finally
        {
            if (counted) Interlocked.Decrement(ref _active);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
        Task[] pending;
        lock (_connections) pending = [.. _connections];
        await Task.WhenAll(pending);
        _stop.Dispose();
    }
}
