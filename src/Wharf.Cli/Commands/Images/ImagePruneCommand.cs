using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Images;

/// <summary>docker image prune: POST /images/prune (dangling only, or -a every unused image).</summary>
internal sealed class ImagePruneCommand : ICommand
{
    public string Name => "image prune";

    public string Usage => "image prune [OPTIONS]";

    public string Description => "Remove unused images";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("all", 'a', "Remove all unused images, not just dangling ones"),
        OptionSpec.Value("filter", null, "Provide filter values (e.g. \"until=<timestamp>\")", "filter"),
        OptionSpec.Flag("force", 'f', "Do not prompt for confirmation"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var all = args.Flag("all");
        if (!args.Flag("force"))
        {
            var warning = all
                ? "WARNING! This will remove all images without at least one container associated to them."
                : "WARNING! This will remove all dangling images.";
            await context.Out.WriteAsync(warning + "\nAre you sure you want to continue? [y/N] ").ConfigureAwait(false);
            await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(context.OpenStdin());
            var answer = (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.Trim();
            if (answer is not ("y" or "Y" or "yes")) return 0;
        }
        var filters = args.Values("filter").ToList();
        filters.Add("dangling=" + (all ? "false" : "true"));
        var report = await context.Client.Images.PruneAsync(FilterArgs.ToJson(filters), cancellationToken).ConfigureAwait(false);
        if (report.ImagesDeleted is { Count: > 0 } deleted)
        {
            await context.Out.WriteLineAsync("Deleted Images:").ConfigureAwait(false);
            foreach (var item in deleted)
            {
                if (item.Untagged is { } u) await context.Out.WriteLineAsync("untagged: " + u).ConfigureAwait(false);
                if (item.Deleted is { } d) await context.Out.WriteLineAsync("deleted: " + d).ConfigureAwait(false);
            }
            await context.Out.WriteLineAsync().ConfigureAwait(false);
        }
        await context.Out.WriteLineAsync("Total reclaimed space: " + HumanUnits.Size(report.SpaceReclaimed)).ConfigureAwait(false);
        return 0;
    }
}
