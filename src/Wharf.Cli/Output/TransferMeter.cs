using System.Globalization;

namespace Wharf.Cli.Output;

/// <summary>
/// docker cp's byte counter ("Copying from container - 12.3MB") on stderr: on a terminal one line redrawn at most every
/// 100 ms while bytes flow and cleared at the end; elsewhere silent until the closing line, so logs keep one line.
/// </summary>
internal sealed class TransferMeter
{
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter _output;
    private readonly bool _live;
    private readonly string _header;
    private readonly TimeProvider _time;
    private DateTimeOffset _lastDraw = DateTimeOffset.MinValue;
    private bool _drawn;

    public TransferMeter(TextWriter output, bool live, string header, TimeProvider time)
    {
        _output = output;
        _live = live;
        _header = header;
        _time = time;
    }

    /// <summary>A meter for a command's --progress on stderr: live on a terminal (or tty), quiet prints nothing at all.</summary>
    public static TransferMeter For(CliContext context, ProgressMode mode, string header)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new TransferMeter(mode == ProgressMode.Quiet ? TextWriter.Null : context.Err, ProgressOption.DrawsBars(mode, context.ErrIsTerminal), header, context.Time);
    }

    public long Total { get; private set; }

    /// <summary>go-units HumanSizeWithPrecision(n, 3), as docker cp prints sizes ("2.05kB").</summary>
    public static string Size(long bytes) => HumanUnits.Size(bytes, 3);

    public void Add(long count)
    {
        Total += count;
        var now = _time.GetUtcNow();
        if (_live && now - _lastDraw >= RedrawInterval)
        {
            _lastDraw = now;
            _drawn = true;
            _output.Write(string.Create(CultureInfo.InvariantCulture, $"\x1b[2K\r{_header}{Size(Total)}"));
            _output.Flush();
        }
    }

    /// <summary>Clears the live line (an error then starts on a clean line) and writes <paramref name="line"/> when given.</summary>
    public async Task FinishAsync(string? line)
    {
        if (_drawn)
        {
            await _output.WriteAsync("\x1b[2K\r").ConfigureAwait(false);
            _drawn = false;
        }

        if (line is not null)
        {
            await _output.WriteLineAsync(line).ConfigureAwait(false);
        }

        await _output.FlushAsync().ConfigureAwait(false);
    }
}
