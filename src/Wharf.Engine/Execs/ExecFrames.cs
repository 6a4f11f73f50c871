using System.Buffers.Binary;

namespace Wharf.Engine.Execs;

/// <summary>Reads a stdcopy-framed exec stream (8-byte header: stream, 0, 0, 0, big-endian length) to its end,
/// keeping the first <c>limit</c> payload bytes of stdout and stderr combined and discarding the rest, so a
/// chatty probe can neither block nor grow without bound.</summary>
public static class ExecFrames
{
    public static async Task CollectAsync(Stream framed, Stream into, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(framed);
        ArgumentNullException.ThrowIfNull(into);
        var header = new byte[8];
        var buffer = new byte[16 * 1024];
        while (await ReadExactlyOrEndAsync(framed, header, ct).ConfigureAwait(false))
        {
            var remaining = (long)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            while (remaining > 0)
            {
                var n = await framed.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), ct).ConfigureAwait(false);
                if (n == 0) return;
                remaining -= n;
                var keep = (int)Math.Min(n, Math.Max(0, limit - into.Length));
                if (keep > 0) await into.WriteAsync(buffer.AsMemory(0, keep), ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task<bool> ReadExactlyOrEndAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(filled), ct).ConfigureAwait(false);
            if (n == 0) return false;
            filled += n;
        }
        return true;
    }
}
