using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Images;

internal sealed class ImagesCommand : ICommand
{
    public string Name => "image ls";

    public IReadOnlyList<string> Aliases { get; } = ["image list", "images"];

    public string Usage => "images [OPTIONS] [REPOSITORY[:TAG]]";

    public string Description => "List images";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("all", 'a', "Show all images (default hides intermediate images)"),
        OptionSpec.Flag("quiet", 'q', "Only show image IDs"),
        OptionSpec.Flag("no-trunc", null, "Don't truncate output"),
        OptionSpec.Flag("digests", null, "Show digests"),
        OptionSpec.Value("filter", 'f', "Filter output based on conditions provided", "filter"),
        OptionSpec.Value("format", null, "Format output using a custom template"),
        .. ContextFanOut.Options,
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var filters = args.Values("filter").ToList();
        if (args.Positionals.Count > 0)
        {
            filters.Add("reference=" + args.Positionals[0]);
        }

        var all = args.Flag("all");
        var filterJson = FilterArgs.ToJson(filters);
        var truncate = !args.Flag("no-trunc");
        var format = args.Value("format");
        if (ContextFanOut.Targets(context, args) is { } targets)
        {
            var answers = await ContextFanOut.QueryAsync(context, targets, client =>
                client.Images.ListAsync(all, filterJson, cancellationToken)).ConfigureAwait(false);
            var merged = answers.SelectMany(a => a.Error is not null
                ? [(a.Context, (global::System.Text.Json.JsonElement?)null, a.Error)]
                : a.Value!.SelectMany(i => ImageRows.ToRows(i, truncate, context.Now)).Select(r => (a.Context, (global::System.Text.Json.JsonElement?)r, (string?)null)));
            var multiFormat = args.Flag("quiet") && format is null ? "{{.ID}}" : format ?? ImageRows.DefaultTableFormat;
            await context.Out.WriteAsync(ContextFanOut.Render(multiFormat, ImageRows.Headers, merged)).ConfigureAwait(false);
            return answers.Any(a => a.Error is not null) ? 1 : 0;
        }

        var single = ContextFanOut.SingleClient(context, args, out var owned);
        using var ownedClient = owned;
        var images = await single.Images.ListAsync(all, filterJson, cancellationToken).ConfigureAwait(false);
        if (args.Flag("quiet") && format is null)
        {
            // One ID per image, however many tags it has.
            foreach (var id in images.Select(i => truncate ? ContainerRows.ShortId(i.Id) : i.Id).Distinct())
            {
                await context.Out.WriteLineAsync(id).ConfigureAwait(false);
            }

            return 0;
        }

        format ??= args.Flag("digests")
            ? "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
            : ImageRows.DefaultTableFormat;
        var now = context.Now;
        var rows = images.SelectMany(i => ImageRows.ToRows(i, truncate, now));
        await context.Out.WriteAsync(FormattedWriter.Render(format, ImageRows.Headers, rows)).ConfigureAwait(false);
        return 0;
    }
}
