using System.Globalization;
using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Api.Streams;

namespace Wharf.Cli.Output;

/// <summary>
/// Prints a JSON message stream (pull/push/import/load) the way docker does. On a terminal each layer keeps one line
/// that is rewritten in place ("abc123: Downloading [=====>     ]  1.2MB/3.4MB"); elsewhere only "id: status" lines,
/// progress updates left out. Raw "stream" text passes through; an errorDetail (or error) aborts with its message.
/// </summary>
internal static class ProgressPrinter
{
    private const int BarWidth = 50;

    public static async Task<List<JsonMessage>> PrintAsync(Stream source, TextWriter output, CancellationToken cancellationToken, bool terminal = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        var auxMessages = new List<JsonMessage>();
        var lines = new List<string>();
        await foreach (var message in JsonLines.ReadAsync(source, ApiJsonContext.Default.JsonMessage, cancellationToken).ConfigureAwait(false))
        {
            if (message.ErrorDetail is { } detail)
            {
                throw new EngineApiException(500, detail.Message);
            }

            if (!string.IsNullOrEmpty(message.Error))
            {
                throw new EngineApiException(500, message.Error);
            }

            if (message.Aux is not null)
            {
                auxMessages.Add(message);
                continue;
            }

            if (message.Stream is { } text)
            {
                await output.WriteAsync(text).ConfigureAwait(false);
                lines.Clear();
                continue;
            }

            var isProgress = !string.IsNullOrEmpty(message.Progress) || message.ProgressDetail is { Current: > 0 };
            if (message.Status is not { } status || (isProgress && !terminal))
            {
                continue;
            }

            var line = (message.Id is { Length: > 0 } id ? id + ": " : "") + status + (isProgress ? " " + ProgressText(message) : "");
            if (!terminal || message.Id is not { Length: > 0 } layer)
            {
                await output.WriteLineAsync(line).ConfigureAwait(false);
                lines.Clear();
            }
            else
            {
                await output.WriteAsync(Rewrite(lines, layer, line)).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return auxMessages;
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

    /// <summary>The daemon's progress text, or docker's bar drawn from the counts: "[=====>      ]  1.2MB/3.4MB".</summary>
    internal static string ProgressText(JsonMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!string.IsNullOrEmpty(message.Progress))
        {
            return message.Progress;
        }

        var detail = message.ProgressDetail!;
        if (detail.Total <= 0)
        {
            return HumanUnits.Size(detail.Current);
        }

        var filled = (int)Math.Clamp(detail.Current * BarWidth / detail.Total, 0, BarWidth);
        var bar = filled >= BarWidth ? new string('=', BarWidth) : new string('=', filled) + ">" + new string(' ', BarWidth - filled - 1);
        return $"[{bar}] {HumanUnits.Size(detail.Current),8}/{HumanUnits.Size(detail.Total)}";
    }
}
