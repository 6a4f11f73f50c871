using System.Globalization;
using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

internal sealed class PsCommand : ICommand
{
    public string Name => "container ls";

    public IReadOnlyList<string> Aliases { get; } = ["container list", "container ps", "ps"];

    public string Usage => "ps [OPTIONS]";

    public string Description => "List containers";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("all", 'a', "Show all containers (default shows just running)"),
        OptionSpec.Flag("quiet", 'q', "Only display container IDs"),
        OptionSpec.Value("last", 'n', "Show n last created containers (includes all states)", "int", "-1"),
        OptionSpec.Flag("latest", 'l', "Show the latest created container (includes all states)"),
        OptionSpec.Flag("no-trunc", null, "Don't truncate output"),
        OptionSpec.Flag("size", 's', "Display total file sizes"),
        OptionSpec.Value("filter", 'f', "Filter output based on conditions provided", "filter"),
        OptionSpec.Value("format", null, "Format output using a custom template"),
        .. ContextFanOut.Options,
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var format = args.Value("format");
        var quiet = args.Flag("quiet");
        var limit = args.Flag("latest") ? 1 : args.Int("last") ?? -1;
        var wantsSize = args.Flag("size") || (format is not null && (format.Contains(".Size", StringComparison.Ordinal) || format.Contains("json .", StringComparison.Ordinal) || format == "json"));
        var all = args.Flag("all") || limit > 0;
        var filters = FilterArgs.ToJson(args.Values("filter"));
        var truncate = !args.Flag("no-trunc");
        if (ContextFanOut.Targets(context, args) is { } targets)
        {
            var answers = await ContextFanOut.QueryAsync(context, targets, client =>
                client.Containers.ListAsync(all, limit, wantsSize, filters, cancellationToken)).ConfigureAwait(false);
            var merged = answers.SelectMany(a => a.Error is not null
                ? [(a.Context, (global::System.Text.Json.JsonElement?)null, a.Error)]
                : a.Value!.Select(c => (a.Context, (global::System.Text.Json.JsonElement?)ContainerRows.ToRow(c, truncate, context.Now), (string?)null)));
            var multiFormat = quiet && format is null ? "{{.ID}}" : format ?? ContainerRows.DefaultTableFormat;
            await context.Out.WriteAsync(ContextFanOut.Render(multiFormat, ContainerRows.Headers, merged)).ConfigureAwait(false);
            return answers.Any(a => a.Error is not null) ? 1 : 0;
        }

        var single = ContextFanOut.SingleClient(context, args, out var owned);
        using var ownedClient = owned;
        var containers = await single.Containers.ListAsync(all, limit, wantsSize, filters, cancellationToken).ConfigureAwait(false);

        if (quiet && format is null)
        {
            format = "{{.ID}}";
        }

        format ??= args.Flag("size") ? ContainerRows.DefaultTableFormat + "\t{{.Size}}" : ContainerRows.DefaultTableFormat;
        var now = context.Now;
        var rows = containers.Select(c => ContainerRows.ToRow(c, truncate, now));
        await context.Out.WriteAsync(FormattedWriter.Render(format, ContainerRows.Headers, rows)).ConfigureAwait(false);
        return 0;
    }
}
