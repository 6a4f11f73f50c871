using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Wharf.Api.Errors;

namespace Wharf.Api.Client;

/// <summary>
/// Opens a fresh connection and performs an HTTP/1.1 upgrade by hand (`Connection: Upgrade`,
/// `Upgrade: tcp`), because HttpClient cannot hand out the raw socket after a 101.
/// </summary>
public static class Hijack
{
    private const int MaxHeadBytes = 64 * 1024;

    public static async Task<HijackedStream> ConnectAsync(
        DockerEndpoint endpoint,
        string requestTarget,
        ReadOnlyMemory<byte> body,
        string contentType,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(requestTarget);
        var socket = await endpoint.ConnectAsync(cancellationToken).ConfigureAwait(false);
        Stream transport = new NetworkStream(socket, ownsSocket: true);
        try
        {
            if (endpoint.Tls is { } tls && endpoint.Kind == EndpointKind.Tcp)
            {
                transport = await tls.AuthenticateAsync(transport, endpoint.Host, cancellationToken).ConfigureAwait(false);
            }

            var head = new StringBuilder()
                .Append("POST ").Append(requestTarget).Append(" HTTP/1.1\r\n")
                .Append("Host: docker\r\n")
                .Append("User-Agent: wharf\r\n")
                .Append("Content-Type: ").Append(contentType).Append("\r\n")
                .Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n")
                .Append("Connection: Upgrade\r\n")
                .Append("Upgrade: tcp\r\n\r\n")
                .ToString();
            var headBytes = Encoding.ASCII.GetBytes(head);
            await transport.WriteAsync(headBytes, cancellationToken).ConfigureAwait(false);
            if (!body.IsEmpty)
            {
                await transport.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            }

            await transport.FlushAsync(cancellationToken).ConfigureAwait(false);
            var (status, headers, leftover) = await ReadResponseHeadAsync(transport, cancellationToken).ConfigureAwait(false);
            if (status is 101 or 200)
            {
                return new HijackedStream(socket, transport, leftover, status, headers);
            }

            var errorBody = await ReadErrorBodyAsync(socket, transport, headers, leftover, cancellationToken).ConfigureAwait(false);
            throw new EngineApiException(status, ExtractMessage(errorBody, status));
        }
        catch
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Turns an error body into docker's message: the JSON `message`, else the trimmed text.</summary>
    public static string ExtractMessage(string body, int status)
    {
        var trimmed = (body ?? "").Trim();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                var error = JsonSerializer.Deserialize(trimmed, ApiJsonContext.Default.ErrorResponse);
                if (!string.IsNullOrEmpty(error?.Message))
                {
                    return error.Message;
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: fall back to the raw text.
            }
        }

        return trimmed.Length > 0 ? trimmed : $"HTTP status {status.ToString(CultureInfo.InvariantCulture)}";
    }

    private static async Task<(int Status, Dictionary<string, string> Headers, ReadOnlyMemory<byte> Leftover)> ReadResponseHeadAsync(
        Stream transport, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        var filled = 0;
        while (true)
        {
            var end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var headText = Encoding.ASCII.GetString(buffer, 0, end);
                var leftover = buffer.AsMemory(end + 4, filled - end - 4).ToArray();
                var (status, headers) = ParseHead(headText);
                return (status, headers, leftover);
            }

            if (filled == buffer.Length)
            {
                if (buffer.Length >= MaxHeadBytes)
                {
                    throw new InvalidDataException("Response head too large.");
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await transport.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("Connection closed before the response head was complete.");
            }

            filled += read;
        }
    }

    internal static (int Status, Dictionary<string, string> Headers) ParseHead(string headText)
    {
        var lines = headText.Split("\r\n");
        var statusParts = lines[0].Split(' ', 3);
        if (statusParts.Length < 2 || !statusParts[0].StartsWith("HTTP/", StringComparison.Ordinal)
            || !int.TryParse(statusParts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new InvalidDataException("Malformed HTTP status line: " + lines[0]);
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
            }
        }

        return (status, headers);
    }

    private static async Task<string> ReadErrorBodyAsync(Socket socket, Stream transport, Dictionary<string, string> headers, ReadOnlyMemory<byte> leftover, CancellationToken cancellationToken)
    {
        using var stream = new HijackedStream(socket, transport, leftover, 0, headers);
        using var all = new MemoryStream();
        var chunked = headers.TryGetValue("transfer-encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        long? length = headers.TryGetValue("content-length", out var cl) && long.TryParse(cl, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var buffer = new byte[4096];
        while (all.Length < 1024 * 1024)
        {
            if (length is { } want && all.Length >= want)
            {
                break;
            }

            if (chunked && all.Length >= 5 && EndsWithTerminalChunk(all))
            {
                break;
            }

            var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            all.Write(buffer, 0, read);
        }

        var bytes = all.ToArray();
        return chunked ? Encoding.UTF8.GetString(DecodeChunked(bytes)) : Encoding.UTF8.GetString(bytes);
    }

    private static bool EndsWithTerminalChunk(MemoryStream data)
    {
        var span = data.GetBuffer().AsSpan(0, (int)data.Length);
        return span.EndsWith("0\r\n\r\n"u8);
    }

    internal static byte[] DecodeChunked(ReadOnlySpan<byte> data)
    {
        var output = new List<byte>();
        var position = 0;
        while (position < data.Length)
        {
            var lineEnd = data[position..].IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                break;
            }

            var sizeText = Encoding.ASCII.GetString(data.Slice(position, lineEnd)).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0)
            {
                break;
            }

            position += lineEnd + 2;
            var take = Math.Min(size, data.Length - position);
            output.AddRange(data.Slice(position, take).ToArray());
            position += take + 2;
        }

        return [.. output];
    }
}
