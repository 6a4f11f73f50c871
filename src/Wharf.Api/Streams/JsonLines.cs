using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Wharf.Api.Streams;

/// <summary>Newline-delimited JSON (events, progress streams): write one object + "\n", read them back.</summary>
public static class JsonLines
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    /// <summary>Writes one object followed by a newline and flushes, so clients see it at once. Object and newline go
    /// in ONE write: a server turns every write of a chunked body into its own chunk, and docker-py's stream parser
    /// takes each chunk as a unit, so a newline in a chunk of its own is left over at the end and parsed as a message
    /// ("Expecting value: line 2 column 1"). Docker writes "{...}\r\n" at once.</summary>
    public static async Task WriteAsync<T>(Stream stream, T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await stream.WriteAsync(Serialize(value, typeInfo), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One object and its newline as one buffer.</summary>
    public static byte[] Serialize<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        var line = new byte[json.Length + NewLine.Length];
        json.CopyTo(line, 0);
        NewLine.CopyTo(line, json.Length);
        return line;
    }

    /// <summary>Reads objects separated by newlines (CRLF tolerated; blank lines skipped) until EOF.</summary>
    public static async IAsyncEnumerable<T> ReadAsync<T>(Stream stream, JsonTypeInfo<T> typeInfo, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var value = JsonSerializer.Deserialize(line, typeInfo);
            if (value is not null)
            {
                yield return value;
            }
        }
    }
}
