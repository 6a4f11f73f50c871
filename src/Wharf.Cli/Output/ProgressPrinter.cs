using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Api.Streams;

namespace Wharf.Cli.Output;

/// <summary>
/// Prints a JSON message stream (pull/import/load) the way docker does off a terminal: "id: status" lines,
/// raw "stream" text, progress-bar updates suppressed; an errorDetail (or error) aborts with its message.
/// </summary>
internal static class ProgressPrinter
{
    public static async Task<List<JsonMessage>> PrintAsync(Stream source, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var auxMessages = new List<JsonMessage>();
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
                continue;
            }

            if (!string.IsNullOrEmpty(message.Progress) || message.ProgressDetail is { Current: > 0 })
            {
                continue;
            }

            if (message.Status is { } status)
            {
                await output.WriteLineAsync(message.Id is { Length: > 0 } id ? id + ": " + status : status).ConfigureAwait(false);
            }
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return auxMessages;
    }
}
