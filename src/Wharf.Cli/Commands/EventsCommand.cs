using System.Text.Json;
using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands;

internal sealed class EventsCommand : ICommand
{
    public string Name => "events";

    public string Usage => "events [OPTIONS]";

    public string Description => "Get real time events from the server";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("filter", 'f', "Filter output based on conditions provided"),
        OptionSpec.Value("format", null, "Format output using a custom template"),
        OptionSpec.Value("since", null, "Show all events created since timestamp"),
        OptionSpec.Value("until", null, "Stream events until this timestamp"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var now = context.Now;
        var query = EngineClient.Query(
            ("filters", FilterArgs.ToJson(args.Values("filter"))),
            ("since", args.Value("since") is { } since ? TimeArg.ToUnixTimestamp(since, now) : null),
            ("until", args.Value("until") is { } until ? TimeArg.ToUnixTimestamp(until, now) : null));
        var format = args.Value("format");
        if (format == "json")
        {
            format = "{{json .}}";
        }

        var template = format is null ? null : GoTemplate.Parse(GoTemplate.Unescape(format));
        using var response = await context.Client.SendAsync(HttpMethod.Get, "events" + query, null, cancellationToken).ConfigureAwait(false);
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

                string output;
                if (template is not null)
                {
                    using var doc = JsonDocument.Parse(line);
                    output = template.Render(doc.RootElement);
                }
                else
                {
                    var message = JsonSerializer.Deserialize(line, ApiJsonContext.Default.EventMessage)!;
                    output = EventLine.Format(message, TimeZoneInfo.Local);
                }

                await context.Out.WriteLineAsync(output).ConfigureAwait(false);
                await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return 0;
    }
}
