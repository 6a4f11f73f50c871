using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Wharf.Api.Client;

/// <summary>
/// One GET for a JSON document over a fresh unix-socket connection, with blocking calls on the calling thread: the
/// request out ("Connection: close"), the answer in up to its Content-Length, its last chunk, or the close.
/// WHY: HttpClient's first request builds the handler and its connection pool, starts the socket event thread and
/// continues on thread-pool threads; for a CLI call that makes one small request (ps, images, version, inspect) that
/// set-up cost more than the request. Streams (logs, events, pulls), request bodies and TCP/TLS keep using HttpClient.
/// </summary>
internal static class UnixSocketGet
{
    private const int MaxHeadBytes = 64 * 1024;

    /// <summary>Status and body (chunked encoding removed). Connection failures are HttpClient's: an
    /// <see cref="HttpRequestException"/> (ConnectionError) around the <see cref="SocketException"/>.</summary>
    public static (int Status, byte[] Body) Send(string socketPath, string target, string userAgent)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        }
        catch (SocketException ex)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"{ex.Message} ({socketPath})", ex);
        }

        var request = Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: docker\r\nUser-Agent: {userAgent}\r\nConnection: close\r\n\r\n");
        for (var sent = 0; sent < request.Length;)
        {
            sent += socket.Send(request, sent, request.Length - sent, SocketFlags.None);
        }

        using var received = new MemoryStream();
        var buffer = new byte[32 * 1024]; // below the large-object heap: no fresh pages to fault in for it
        var headEnd = -1;
        while (true)
        {
            var read = socket.Receive(buffer);
            if (read > 0)
            {
                received.Write(buffer, 0, read);
            }

            var data = received.GetBuffer().AsSpan(0, (int)received.Length);
            if (headEnd < 0)
            {
                headEnd = data.IndexOf("\r\n\r\n"u8);
                if (headEnd < 0 && (read == 0 || data.Length > MaxHeadBytes))
                {
                    throw new HttpRequestException(HttpRequestError.InvalidResponse, "the daemon closed the connection before a complete HTTP answer");
                }
            }

            if (headEnd >= 0 && Complete(data, headEnd, read == 0) is { } answer)
            {
                return answer;
            }
        }
    }

    /// <summary>The answer once <paramref name="data"/> holds all of it; null while more is to come.</summary>
    internal static (int Status, byte[] Body)? Complete(ReadOnlySpan<byte> data, int headEnd, bool closed)
    {
        var (status, headers) = Hijack.ParseHead(Encoding.ASCII.GetString(data[..headEnd]));
        var body = data[(headEnd + 4)..];
        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            if (ChunkedLength(body) is { } length)
            {
                return (status, Hijack.DecodeChunked(body[..length]));
            }
        }
        else if (headers.TryGetValue("content-length", out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            if (body.Length >= length)
            {
                return (status, body[..(int)length].ToArray());
            }
        }
        else if (closed || status is 204 or 304)
        {
            return (status, body.ToArray());
        }

        return closed
            ? throw new HttpRequestException(HttpRequestError.ResponseEnded, "the daemon closed the connection in the middle of its answer")
            : null;
    }

    /// <summary>The length of a complete chunked body (through the last chunk and the trailers' blank line), or null
    /// when it is still incomplete. Walks the chunk sizes, so data that merely looks like an end is not taken for one.</summary>
    internal static int? ChunkedLength(ReadOnlySpan<byte> body)
    {
        var position = 0;
        while (true)
        {
            var lineEnd = body[position..].IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return null;
            }

            var sizeText = Encoding.ASCII.GetString(body.Slice(position, lineEnd)).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                throw new HttpRequestException(HttpRequestError.InvalidResponse, "malformed chunk size in the daemon's answer: " + sizeText);
            }

            position += lineEnd + 2;
            if (size == 0)
            {
                // Trailers (none expected), then the blank line.
                var end = body[position..].IndexOf("\r\n"u8);
                while (end > 0)
                {
                    position += end + 2;
                    end = body[position..].IndexOf("\r\n"u8);
                }

                return end == 0 ? position + 2 : null;
            }

            if (body.Length < position + size + 2)
            {
                return null;
            }

            position += size + 2;
        }
    }
}
