using System.Net.Sockets;
using System.Text;
using Wharf.Api.Client;
using Wharf.Api.Streams;

namespace Wharf.Api.Tests;

/// <summary>Drives <see cref="Hijack"/> against a tiny in-test unix-socket server.</summary>
public sealed class HijackTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wharf-hijack-").FullName;
    private readonly Socket _listener;

    public HijackTests()
    {
        SocketPath = Path.Combine(_dir, "d.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(4);
    }

    private string SocketPath { get; }

    public void Dispose()
    {
        _listener.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task ConnectAsync_Server101_StreamsFramesAndSeesHalfClose()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var server = Task.Run(async () =>
        {
            using var peer = await _listener.AcceptAsync(cts.Token);
            var head = await ReadHeadAsync(peer, cts.Token);
            // Response head and the first frame in one send: the client must keep the buffered bytes.
            using var response = new MemoryStream();
            response.Write("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"u8);
            await StdCopy.WriteFrameAsync(response, StdStreamType.Stdout, "early\n"u8.ToArray());
            await peer.SendAsync(response.ToArray(), SocketFlags.None, cts.Token);

            // Echo stdin until the client half-closes, then send the rest and close.
            var stdin = new MemoryStream();
            var buffer = new byte[1024];
            int read;
            while ((read = await peer.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
            {
                stdin.Write(buffer, 0, read);
            }

            using var tail = new MemoryStream();
            await StdCopy.WriteFrameAsync(tail, StdStreamType.Stdout, stdin.ToArray());
            await StdCopy.WriteFrameAsync(tail, StdStreamType.Stderr, "bye\n"u8.ToArray());
            await peer.SendAsync(tail.ToArray(), SocketFlags.None, cts.Token);
            peer.Shutdown(SocketShutdown.Both);
            return head;
        }, cts.Token);

        using var stream = await Hijack.ConnectAsync(DockerEndpoint.Unix(SocketPath), "/v1.50/containers/abc/attach?stream=1&stdin=1", default, "text/plain", cts.Token);
        Assert.Equal(101, stream.StatusCode);
        Assert.Equal("application/vnd.docker.multiplexed-stream", stream.ContentType);
        await stream.WriteAsync("typed input\n"u8.ToArray(), cts.Token);
        stream.CloseWrite();

        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        await StdCopy.DemultiplexAsync(stream, stdout, stderr, cts.Token);

        Assert.Equal("early\ntyped input\n", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal("bye\n", Encoding.UTF8.GetString(stderr.ToArray()));
        var requestHead = await server;
        Assert.StartsWith("POST /v1.50/containers/abc/attach?stream=1&stdin=1 HTTP/1.1\r\n", requestHead, StringComparison.Ordinal);
        Assert.Contains("Upgrade: tcp\r\n", requestHead, StringComparison.Ordinal);
        Assert.Contains("Connection: Upgrade\r\n", requestHead, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_Server404_ThrowsWithDaemonMessage()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var server = Task.Run(async () =>
        {
            using var peer = await _listener.AcceptAsync(cts.Token);
            await ReadHeadAsync(peer, cts.Token);
            var body = """{"message":"No such container: nope"}""";
            var response = $"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}";
            await peer.SendAsync(Encoding.ASCII.GetBytes(response), SocketFlags.None, cts.Token);
            await Task.Delay(200, cts.Token); // keep the connection open: the client must rely on Content-Length
        }, cts.Token);

        var ex = await Assert.ThrowsAsync<EngineApiException>(() =>
            Hijack.ConnectAsync(DockerEndpoint.Unix(SocketPath), "/v1.50/containers/nope/attach", default, "text/plain", cts.Token));
        Assert.Equal(404, ex.StatusCode);
        Assert.Equal("No such container: nope", ex.Message);
        await server;
    }

    [Fact]
    public void ExtractMessage_PlainText_ReturnsTrimmedText()
    {
        Assert.Equal("page not found", Hijack.ExtractMessage("page not found\n", 404));
        Assert.Equal("HTTP status 500", Hijack.ExtractMessage("", 500));
    }

    private static async Task<string> ReadHeadAsync(Socket peer, CancellationToken cancellationToken)
    {
        var received = new StringBuilder();
        var buffer = new byte[1];
        while (!received.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await peer.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) == 0)
            {
                break;
            }

            received.Append((char)buffer[0]);
        }

        return received.ToString();
    }
}
