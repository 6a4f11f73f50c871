namespace Wharf.Api.Streams;

/// <summary>Watches input for the detach sequence. Bytes that might be the start of the sequence are held back
/// until it is clear they are not (then they are passed on, in order), so the sequence itself never reaches
/// the container.</summary>
public sealed class DetachKeyScanner(byte[] sequence)
{
    private readonly byte[] _sequence = sequence ?? [];
    private int _matched;

    /// <summary>Bytes <see cref="Filter"/> may write beyond the input's length (held bytes being released).</summary>
    public int Slack => _sequence.Length;

    /// <summary>Copies what should go to the container from <paramref name="input"/> into <paramref name="output"/>
    /// (which must hold input.Length + <see cref="Slack"/> bytes) and returns how many; detached is true once
    /// the whole sequence has been seen (bytes after it are dropped).</summary>
    public int Filter(ReadOnlySpan<byte> input, Span<byte> output, out bool detached)
    {
        detached = false;
        var written = 0;
        foreach (var b in input)
        {
            if (_sequence.Length == 0)
            {
                output[written++] = b;
                continue;
            }
            if (b == _sequence[_matched])
            {
                _matched++;
                if (_matched == _sequence.Length)
                {
                    _matched = 0;
                    detached = true;
                    return written;
                }
                continue;
            }
            // Not the sequence after all: release what was held, then look at this byte afresh.
            _sequence.AsSpan(0, _matched).CopyTo(output[written..]);
            written += _matched;
            _matched = 0;
            if (b == _sequence[0]) _matched = 1;
            else output[written++] = b;
        }
        return written;
    }
}
