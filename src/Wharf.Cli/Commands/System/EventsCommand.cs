using System.Text.Json;
using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.System;

internal sealed class EventsCommand : ICommand
{
    public string Name => "system events";

    public IReadOnlyList<string> Aliases { get; } = ["events"];

    public string Usage => "events [OPTIONS]";

    public string Description => "Get real time events from the server";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("filter", 'f', "Filter output based on conditions provided", "filter"),
        OptionSpec.Value("format", null, "Format output using a custom template"),
        OptionSpec.Value("since", null, "Show all events created since timestamp"),
        OptionSpec.Value("until", null, "Stream events until this timestamp"),
        .. ContextFanOut.Options,
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var now = context.Now;
        var query = new EventQuery(
            args.Value("since") is { } since ? TimeArg.ToUnixTimestamp(since, now) : null,
            args.Value("until") is { } until ? TimeArg.ToUnixTimestamp(until, now) : null,
            FilterArgs.ToJson(args.Values("filter")));
        var format = args.Value("format");
        if (format == "json")
        {
            format = "{{json .}}";
        }

        var template = format is null ? null : GoTemplate.Parse(GoTemplate.Unescape(format));
        if (ContextFanOut.Targets(context, args) is { } targets)
        {
            // Several daemons: their streams interleave as events arrive, each line naming its context.
            using var writeLock = new SemaphoreSlim(1, 1);
            var answers = await ContextFanOut.QueryAsync(context, targets, (client, name) =>
                StreamAsync(client, query, template, context.Out, writeLock, name, cancellationToken)).ConfigureAwait(false);
            foreach (var failed in answers.Where(a => a.Error is not null))
            {
                await context.Err.WriteLineAsync($"{failed.Context}: error: {failed.Error}").ConfigureAwait(false);
            }

            return answers.Any(a => a.Error is not null) ? 1 : 0;
        }

        var single = ContextFanOut.SingleClient(context, args, out var owned);
        using var ownedClient = owned;
        await StreamAsync(single, query, template, context.Out, writeLock: null, contextName: null, cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>Copies one daemon's event stream to <paramref name="output"/>. With a context name (several
    /// daemons), the default line starts with it and templates can use {{.Context}}.</summary>
    private static async Task<bool> StreamAsync(
        EngineClient client, EventQuery query, GoTemplate? template, TextWriter output, SemaphoreSlim? writeLock, string? contextName, CancellationToken cancellationToken)
    {
        using var response = await client.System.EventsAsync(query.Since, query.Until, query.Filters, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            using var reader = new StreamReader(body);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                string text;
                if (template is not null)
                {
                    using var doc = JsonDocument.Parse(line);
                    text = template.Render(contextName is null ? doc.RootElement : ContextFanOut.WithContext(doc.RootElement, contextName));
                }
                else
                {
                    var message = JsonSerializer.Deserialize(line, ApiJsonContext.Default.EventMessage)!;
                    text = (contextName is null ? "" : contextName + " ") + EventLine.Format(message, TimeZoneInfo.Local);
                }

                if (writeLock is not null)
                {
                    await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    await output.WriteLineAsync(text).ConfigureAwait(false);
                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    writeLock?.Release();
                }
            }
        }

        return true;
    }

    /// <summary>The window and filters of an events request, the same for every context streamed.</summary>
    private sealed record EventQuery(string? Since, string? Until, string? Filters);
}
