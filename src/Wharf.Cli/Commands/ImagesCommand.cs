using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands;

internal sealed class ImagesCommand : ICommand
{
    public string Name => "images";

    public string Usage => "images [OPTIONS] [REPOSITORY[:TAG]]";

    public string Description => "List images";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("all", 'a', "Show all images (default hides intermediate images)"),
        OptionSpec.Flag("quiet", 'q', "Only show image IDs"),
        OptionSpec.Flag("no-trunc", null, "Don't truncate output"),
        OptionSpec.Flag("digests", null, "Show digests"),
        OptionSpec.Value("filter", 'f', "Filter output based on conditions provided"),
        OptionSpec.Value("format", null, "Format output using a custom template"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var filters = args.Values("filter").ToList();
        if (args.Positionals.Count > 0)
        {
            filters.Add("reference=" + args.Positionals[0]);
        }

        var query = EngineClient.Query(("all", args.Flag("all") ? "1" : null), ("filters", FilterArgs.ToJson(filters)));
        var images = await context.Client.GetJsonAsync("images/json" + query, ApiJsonContext.Default.ListImageSummary, cancellationToken).ConfigureAwait(false);
        var truncate = !args.Flag("no-trunc");
        var format = args.Value("format");
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
