using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Shim;

namespace Wharf.Engine.Runtime;

/// <summary>One request/response exchange with a container's wharf-shim over its unix socket (protocol in
/// Wharf.Core.Shim.ShimProtocol). For attach, the connection stays open as a raw stream.</summary>
internal static class ShimConnection
{
    public static async Task<ShimResponse> RequestAsync(string socketPath, ShimRequest request, CancellationToken ct)
    {
        await using var stream = await OpenAsync(socketPath, request, ct).ConfigureAwait(false);
        return await ReadResponseAsync(stream, ct).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="request"/> and returns the open stream positioned after the request.
    /// The caller reads the response line with <see cref="ReadResponseAsync"/>.</summary>
    public static async Task<NetworkStream> OpenAsync(string socketPath, ShimRequest request, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct).ConfigureAwait(false);
            var stream = new NetworkStream(socket, ownsSocket: true);
            var line = JsonSerializer.SerializeToUtf8Bytes(request, CoreJsonContext.Default.ShimRequest);
            await stream.WriteAsync(line, ct).ConfigureAwait(false);
            await stream.WriteAsync("\n"u8.ToArray(), ct).ConfigureAwait(false);
            return stream;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads exactly one '\n'-terminated JSON line, byte by byte, so no stream bytes that follow it
    /// (attach output) are consumed.</summary>
    public static async Task<ShimResponse> ReadResponseAsync(Stream stream, CancellationToken ct)
    {
        var line = new List<byte>(128);
        var one = new byte[1];
        while (true)
        {
            var n = await stream.ReadAsync(one, ct).ConfigureAwait(false);
            if (n == 0) throw new IOException("shim closed the connection before answering");
            if (one[0] == (byte)'\n') break;
            line.Add(one[0]);
        }
        return JsonSerializer.Deserialize(line.ToArray(), CoreJsonContext.Default.ShimResponse)
            ?? throw new IOException("shim sent an empty answer: " + Encoding.UTF8.GetString(line.ToArray()));
    }

    /// <summary>True when something accepts connections on <paramref name="socketPath"/>.</summary>
    public static bool IsAlive(string socketPath)
    {
        if (!File.Exists(socketPath)) return false;
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
