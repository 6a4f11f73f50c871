using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Wharf.Api.Streams;

/// <summary>
/// Docker's multiplexed stream framing (non-TTY attach, exec and logs): an 8-byte header
/// [stream, 0, 0, 0, size as big-endian uint32] followed by size payload bytes.
/// </summary>
public static class StdCopy
{
    public const int HeaderSize = 8;

    /// <summary>Largest frame payload the writer emits; bigger buffers are split.</summary>
    public const int MaxFramePayload = 32 * 1024;

    public static void WriteHeader(Span<byte> header, StdStreamType streamType, int payloadLength)
    {
        header[0] = (byte)streamType;
        header[1] = 0;
        header[2] = 0;
        header[3] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)payloadLength);
    }

    /// <summary>Writes one or more frames carrying <paramref name="payload"/>.</summary>
    public static async Task WriteFrameAsync(Stream stream, StdStreamType streamType, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (payload.IsEmpty)
        {
            return;
        }

        var frame = ArrayPool<byte>.Shared.Rent(HeaderSize + Math.Min(payload.Length, MaxFramePayload));
        try
        {
            while (!payload.IsEmpty)
            {
                var chunk = payload[..Math.Min(payload.Length, MaxFramePayload)];
                // Header and payload in one write so a frame never straddles two socket sends needlessly.
                WriteHeader(frame, streamType, chunk.Length);
                chunk.Span.CopyTo(frame.AsSpan(HeaderSize));
                await stream.WriteAsync(frame.AsMemory(0, HeaderSize + chunk.Length), cancellationToken).ConfigureAwait(false);
                payload = payload[chunk.Length..];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>
    /// Reads frames from <paramref name="source"/> until EOF, copying stdout (and stdin echoes) to
    /// <paramref name="stdout"/> and stderr to <paramref name="stderr"/>. A system-error frame throws.
    /// Returns the number of payload bytes written.
    /// </summary>
    public static async Task<long> DemultiplexAsync(Stream source, Stream stdout, Stream stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var header = new byte[HeaderSize];
        var buffer = ArrayPool<byte>.Shared.Rent(MaxFramePayload);
        long total = 0;
        try
        {
            while (true)
            {
                var got = await ReadFullyAsync(source, header, cancellationToken).ConfigureAwait(false);
                if (got == 0)
                {
                    return total;
                }

                if (got < HeaderSize)
                {
                    throw new InvalidDataException("Stream ended inside a frame header.");
                }

                var type = (StdStreamType)header[0];
                var remaining = (long)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
                if (type == StdStreamType.SystemError)
                {
                    var message = new byte[remaining];
                    await ReadFullyAsync(source, message, cancellationToken).ConfigureAwait(false);
                    throw new InvalidOperationException("error from daemon in stream: " + Encoding.UTF8.GetString(message));
                }

                var target = type switch
                {
                    StdStreamType.Stdin or StdStreamType.Stdout => stdout,
                    StdStreamType.Stderr => stderr,
                    _ => throw new InvalidDataException($"Unrecognized input header: {header[0]}"),
                };

                while (remaining > 0)
                {
                    var want = (int)Math.Min(remaining, buffer.Length);
                    var read = await source.ReadAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new InvalidDataException("Stream ended inside a frame payload.");
                    }

                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    remaining -= read;
                    total += read;
                }

                await target.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<int> ReadFullyAsync(Stream source, Memory<byte> into, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < into.Length)
        {
            var read = await source.ReadAsync(into[filled..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}
