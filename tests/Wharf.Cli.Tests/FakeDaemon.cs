using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Wharf.Cli.Tests;

/// <summary>A minimal HTTP/1.1 server on a temp unix socket; each request goes to a handler that writes raw bytes.</summary>
internal sealed class FakeDaemon : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wharf-cli-fake-").FullName;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<FakeRequest, Socket, Task> _handler;
    private readonly Task _acceptLoop;
    private readonly ConcurrentBag<Task> _connections = [];

    public FakeDaemon(Func<FakeRequest, Socket, Task> handler)
    {
        _handler = handler;
        SocketPath = Path.Combine(_dir, "d.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(16);
        _acceptLoop = AcceptLoopAsync();
    }

    public string SocketPath { get; }

    public string Host => "unix://" + SocketPath;

    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    public static Task RespondAsync(Socket socket, int status, string body = "", string contentType = "application/json")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} X\r\nContent-Type: {contentType}\r\nContent-Length: {bytes.Length}\r\n\r\n");
        return socket.SendAsync(Encoding.ASCII.GetBytes(head).Concat(bytes).ToArray(), SocketFlags.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        foreach (var connection in _connections)
        {
            try
            {
                await connection.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is TimeoutException or SocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }

        _stop.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptAsync(_stop.Token);
            _connections.Add(Task.Run(() => ServeAsync(socket)));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            var buffer = new List<byte>();
            var chunk = new byte[4096];
            while (!_stop.IsCancellationRequested)
            {
                int headEnd;
                while ((headEnd = IndexOfHeadEnd(buffer)) < 0)
                {
                    var read = await socket.ReceiveAsync(chunk, SocketFlags.None, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    buffer.AddRange(chunk.AsSpan(0, read).ToArray());
                }

                var head = Encoding.ASCII.GetString(buffer.GetRange(0, headEnd).ToArray());
                buffer.RemoveRange(0, headEnd + 4);
                var lines = head.Split("\r\n");
                var parts = lines[0].Split(' ');
                var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                    .ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
                var length = headers.TryGetValue("content-length", out var cl) ? int.Parse(cl, CultureInfo.InvariantCulture) : 0;
                while (buffer.Count < length)
                {
                    var read = await socket.ReceiveAsync(chunk, SocketFlags.None, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    buffer.AddRange(chunk.AsSpan(0, read).ToArray());
                }

                var raw = buffer.GetRange(0, length).ToArray();
                buffer.RemoveRange(0, length);
                var request = new FakeRequest(parts[0], parts[1], headers, Encoding.UTF8.GetString(raw)) { RawBody = raw };
                Requests.Enqueue(request);
                await _handler(request, socket);
                if (headers.ContainsKey("upgrade"))
                {
                    return;
                }
            }
        }
    }

    private static int IndexOfHeadEnd(List<byte> buffer)
    {
        for (var i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}

internal sealed record FakeRequest(string Method, string Target, Dictionary<string, string> Headers, string Body)
{
    public string Path => Target.Split('?')[0];

    /// <summary>The body's bytes as sent (Body is their UTF-8 reading, lossy for binary bodies such as a gzipped tar).</summary>
    public byte[] RawBody { get; init; } = [];
}
