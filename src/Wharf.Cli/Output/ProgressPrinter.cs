using System.Globalization;
using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Api.Streams;

namespace Wharf.Cli.Output;

/// <summary>
/// Prints a JSON message stream (pull/push/import/load/build) the way docker does. On a terminal each layer keeps one
/// line that is rewritten in place ("abc123: Downloading [=====>     ]  1.2MB/3.4MB 850kB/s 2s"); elsewhere only
/// "id: status" lines, progress updates left out. Raw "stream" text passes through; an errorDetail (or error) aborts
/// with its message, below the bars so they stay readable.
/// </summary>
internal sealed class ProgressPrinter
{
    private const int BarWidth = 50;

    /// <summary>pflag/moby draw the bar only when the terminal is wider than this; narrower ones get the numbers.</summary>
    private const int BarMinTerminalWidth = 110;

    private readonly TextWriter _output;
    private readonly bool _terminal;
    private readonly int _width;
    private readonly TimeProvider _time;
    private readonly List<string> _lines = [];
    private readonly Dictionary<string, DateTimeOffset> _firstSeen = new(StringComparer.Ordinal);

    internal ProgressPrinter(TextWriter output, bool terminal, int width, TimeProvider time)
    {
        _output = output;
        _terminal = terminal;
        _width = width <= 0 ? 120 : width;
        _time = time;
    }

    /// <param name="width">The terminal's columns (0: unknown, drawn as a wide terminal).</param>
    public static async Task<List<JsonMessage>> PrintAsync(Stream source, TextWriter output, CancellationToken cancellationToken, bool terminal = false,
        int width = 0, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var printer = new ProgressPrinter(output, terminal, width, time ?? TimeProvider.System);
        var auxMessages = new List<JsonMessage>();
        await foreach (var message in JsonLines.ReadAsync(source, ApiJsonContext.Default.JsonMessage, cancellationToken).ConfigureAwait(false))
        {
            if ((message.ErrorDetail?.Message ?? (string.IsNullOrEmpty(message.Error) ? null : message.Error)) is { } failure)
            {
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                throw new EngineApiException(500, failure);
            }

            if (message.Aux is not null)
            {
                auxMessages.Add(message);
                continue;
            }

            await printer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return auxMessages;
    }

    /// <summary>A printer for a command that reads the stream itself (build keeps the image id and the error code).</summary>
    public static ProgressPrinter For(CliContext context, ProgressMode mode)
    {
        ArgumentNullException.ThrowIfNull(context);
        return mode == ProgressMode.Quiet
            ? new ProgressPrinter(TextWriter.Null, false, 0, context.Time)
            : new ProgressPrinter(context.Out, ProgressOption.DrawsBars(mode, context.OutIsTerminal), context.TerminalWidth, context.Time);
    }

    /// <summary>One message that is neither an error nor aux data: stream text, a status line, or a layer's bar.</summary>
    internal async Task WriteAsync(JsonMessage message, CancellationToken cancellationToken)
    {
        if (message.Stream is { } text)
        {
            await _output.WriteAsync(text).ConfigureAwait(false);
            _lines.Clear();
            return;
        }

        var isProgress = !string.IsNullOrEmpty(message.Progress) || message.ProgressDetail is { Current: > 0 } or { Total: > 0 };
        if (message.Status is not { } status || (isProgress && !_terminal))
        {
            return;
        }

        var layer = message.Id is { Length: > 0 } id ? id : null;
        var progress = isProgress ? ProgressText(message, _width, _time.GetUtcNow(), Started(layer, message)) : "";
        var line = (layer is null ? "" : layer + ": ") + status + (progress.Length > 0 ? " " + progress : "");
        if (!_terminal || layer is null)
        {
            await _output.WriteLineAsync(line).ConfigureAwait(false);
            _lines.Clear();
            return;
        }

        await _output.WriteAsync(Rewrite(_lines, layer, line)).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>When this layer's transfer began: the daemon's "start" when it sends one, else when we first saw it move.</summary>
    private DateTimeOffset? Started(string? layer, JsonMessage message)
    {
        if (message.ProgressDetail is { Start: > 0 } detail)
        {
            return DateTimeOffset.FromUnixTimeSeconds(detail.Start);
        }

        if (layer is null)
        {
            return null;
        }

        var key = layer + "\n" + message.Status;
        if (!_firstSeen.TryGetValue(key, out var first))
        {
            _firstSeen[key] = _time.GetUtcNow();
            return null;
        }

        return first;
    }

    /// <summary>A command's progress stream to stdout as its --progress (and the terminal) ask: bars, plain lines, or
    /// nothing (quiet).</summary>
    public static Task<List<JsonMessage>> PrintAsync(CliContext context, Stream source, ProgressMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return mode == ProgressMode.Quiet
            ? PrintAsync(source, TextWriter.Null, cancellationToken)
            : PrintAsync(source, context.Out, cancellationToken, ProgressOption.DrawsBars(mode, context.OutIsTerminal), context.TerminalWidth, context.Time);
    }

    /// <summary>What to write so that <paramref name="id"/>'s line shows <paramref name="line"/>: a new line for an id
    /// not seen yet, else cursor up to its line, clear it, write, and back down (docker's ANSI sequence).</summary>
    internal static string Rewrite(List<string> ids, string id, string line)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var index = ids.IndexOf(id);
        if (index < 0)
        {
            ids.Add(id);
            return "\x1b[2K\r" + line + "\n";
        }

        var up = ids.Count - index;
        return string.Create(CultureInfo.InvariantCulture, $"\x1b[{up}A\x1b[2K\r{line}\x1b[{up}B\r");
    }

    /// <summary>moby's JSONProgress.String drawn from the counts: "[=====>      ]  1.2MB/3.4MB" (the bar only on a
    /// terminal wider than 110 columns), then the transfer speed and docker's estimate of the time left while it is
    /// below 100%. Without counts, the daemon's own progress text.</summary>
    internal static string ProgressText(JsonMessage message, int width = 120, DateTimeOffset? now = null, DateTimeOffset? started = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.ProgressDetail is not { } detail || (detail.Current <= 0 && detail.Total <= 0))
        {
            return message.Progress ?? "";
        }

        if (detail.Total <= 0)
        {
            return $"{HumanUnits.Size(detail.Current),8}";
        }

        var percentage = Math.Min(BarWidth, (int)(detail.Current * 100.0 / detail.Total) / 2);
        var bar = width > BarMinTerminalWidth ? "[" + new string('=', percentage) + ">" + new string(' ', BarWidth - percentage) + "] " : "";
        var numbers = detail.Current > detail.Total
            ? $"{HumanUnits.Size(detail.Current),8}"
            : $"{HumanUnits.Size(detail.Current),8}/{HumanUnits.Size(detail.Total)}";
        var rate = "";
        if (now is { } at && started is { } from && at > from && percentage < BarWidth)
        {
            var perSecond = detail.Current / (at - from).TotalSeconds;
            var left = TimeSpan.FromSeconds(Math.Floor((detail.Total - detail.Current) / perSecond));
            rate = $" {HumanUnits.Size(perSecond, 3)}/s {GoDurationText(left)}";
        }

        return bar + numbers + rate;
    }

    /// <summary>Go's time.Duration.String for whole seconds: "5s", "1m30s", "2h0m0s".</summary>
    internal static string GoDurationText(TimeSpan duration)
    {
        var seconds = (long)duration.TotalSeconds;
        var (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        return h > 0 ? Invariant($"{h}h{m}m{s}s") : m > 0 ? Invariant($"{m}m{s}s") : Invariant($"{s}s");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
