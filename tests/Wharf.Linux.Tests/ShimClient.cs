using System.Net.Sockets;
using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Shim;

namespace Wharf.Linux.Tests;

/// <summary>Speaks the shim protocol for tests: one JSON request line, one JSON answer line.</summary>
internal static class ShimClient
{
    public static async Task<Socket> ConnectAsync(string socketPath, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
                return socket;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                socket.Dispose();
                await Task.Delay(20);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    /// <summary>Sends a request and reads the answer; the socket stays open (attach streams continue on it).</summary>
    public static async Task<(Socket Socket, ShimResponse Response)> SendAsync(string socketPath, ShimRequest request)
    {
        var socket = await ConnectAsync(socketPath, TimeSpan.FromSeconds(10));
        var line = JsonSerializer.SerializeToUtf8Bytes(request, CoreJsonContext.Default.ShimRequest);
        await socket.SendAsync((byte[])[.. line, (byte)'\n'], SocketFlags.None);
        var answer = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            var n = await socket.ReceiveAsync(one, SocketFlags.None);
            Assert.True(n == 1, $"shim closed the connection before answering {request.Op}");
            if (one[0] == (byte)'\n')
                break;
            answer.Add(one[0]);
        }
        return (socket, JsonSerializer.Deserialize([.. answer], CoreJsonContext.Default.ShimResponse)!);
    }

    public static async Task<ShimResponse> RequestAsync(string socketPath, ShimRequest request)
    {
        var (socket, response) = await SendAsync(socketPath, request);
        socket.Dispose();
        return response;
    }

    /// <summary>Reads an attach stream to EOF and splits the stdcopy frames into (stream, text) pairs.</summary>
    public static async Task<List<(int Stream, string Text)>> ReadFramesToEndAsync(Socket socket, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var all = new List<byte>();
        var buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
            all.AddRange(buffer.AsSpan(0, n));
        var frames = new List<(int, string)>();
        var data = all.ToArray();
        var at = 0;
        while (at < data.Length)
        {
            Assert.True(data.Length - at >= 8, "truncated stdcopy header");
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(at + 4, 4));
            Assert.Equal(0, data[at + 1] | data[at + 2] | data[at + 3]);
            frames.Add((data[at], System.Text.Encoding.UTF8.GetString(data, at + 8, length)));
            at += 8 + length;
        }
        return frames;
    }
}
