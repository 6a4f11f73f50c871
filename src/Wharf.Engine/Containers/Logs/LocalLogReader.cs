using Wharf.Core.Logs;
using Wharf.Core.Shim;

namespace Wharf.Engine.Containers.Logs;

/// <summary>Reads Docker "local" driver records (<see cref="LocalLogCodec"/>) from a file the shim may still be
/// appending to: a record only partly written is kept for the next call. Bytes that cannot be a record (a torn
/// write after a crash) end the read of this file rather than failing `docker logs`.</summary>
internal sealed class LocalLogReader(Stream stream) : ILogEntryReader
{
    private readonly byte[] _chunk = new byte[64 * 1024];
    private byte[] _pending = new byte[64 * 1024];
    private int _pendingLength;
    private bool _corrupt;

    public List<JsonLogEntry> ReadAvailable()
    {
        var entries = new List<JsonLogEntry>();
        if (_corrupt) return entries;
        int n;
        while ((n = stream.Read(_chunk, 0, _chunk.Length)) > 0)
        {
            Append(_chunk.AsSpan(0, n));
            var at = 0;
            try
            {
                while (LocalLogCodec.TryDecode(_pending.AsSpan(at, _pendingLength - at), out var record, out var consumed))
                {
                    at += consumed;
                    entries.Add(new JsonLogEntry { Log = record.Text(), Stream = record.Source, Time = record.Time });
                }
            }
            catch (InvalidDataException)
            {
                _corrupt = true;
                return entries;
            }
            _pending.AsSpan(at, _pendingLength - at).CopyTo(_pending);
            _pendingLength -= at;
        }
        return entries;
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_pendingLength + data.Length > _pending.Length)
            Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingLength + data.Length));
        data.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += data.Length;
    }
}
