using System.Text;
using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.System;

/// <summary>wharf system prune: stopped containers, (anonymous volumes,) unused networks, dangling (or all unused)
/// images and build cache, in docker's order and with its report.</summary>
internal sealed class SystemPruneCommand : ICommand
{
    public string Name => "system prune";

    public string Usage => "system prune [OPTIONS]";

    public string Description => "Remove unused data";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("all", 'a', "Remove all unused images not just dangling ones"),
        OptionSpec.Value("filter", null, "Provide filter values (e.g. \"label=<key>=<value>\")", "filter"),
        OptionSpec.Flag("force", 'f', "Do not prompt for confirmation"),
        OptionSpec.Flag("volumes", null, "Prune anonymous volumes"),
    ];

    /// <summary>docker's confirmation text for the chosen flags.</summary>
    internal static string Warning(bool all, bool volumes, bool hasFilters)
    {
        var text = new StringBuilder("WARNING! This will remove:\n");
        text.Append("  - all stopped containers\n");
        if (volumes)
        {
            text.Append("  - all anonymous volumes not used by at least one container\n");
        }

        text.Append("  - all networks not used by at least one container\n");
        text.Append(all ? "  - all images without at least one container associated to them\n" : "  - all dangling images\n");
        text.Append(all ? "  - all build cache\n" : "  - unused build cache\n");
        if (hasFilters)
        {
            text.Append("\n  Items to be pruned will be filtered with:\n");
        }

        return text.ToString();
    }

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count > 0)
        {
            throw new CliUsageException($"\"wharf {context.CommandPath}\" accepts no arguments.", 1);
        }

        var all = args.Flag("all");
        var volumes = args.Flag("volumes");
        var filterValues = args.Values("filter");
        if (!args.Flag("force"))
        {
            var warning = Warning(all, volumes, filterValues.Count > 0);
            foreach (var filter in filterValues)
            {
                warning += "  - " + filter + "\n";
            }

            await context.Out.WriteAsync(warning + "\nAre you sure you want to continue? [y/N] ").ConfigureAwait(false);
            await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(context.OpenStdin());
            var answer = (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.Trim();
            if (answer is not ("y" or "Y" or "yes" or "Yes" or "YES"))
            {
                return 0;
            }
        }

        var filters = FilterArgs.ToJson(filterValues);
        long reclaimed = 0;
        var containers = await context.Client.Containers.PruneAsync(filters, cancellationToken).ConfigureAwait(false);
        await ListAsync(context, "Deleted Containers:", containers.ContainersDeleted ?? []).ConfigureAwait(false);
        reclaimed += containers.SpaceReclaimed;
        if (volumes)
        {
            var volumeReport = await context.Client.Volumes.PruneAsync(filters, cancellationToken).ConfigureAwait(false);
            await ListAsync(context, "Deleted Volumes:", volumeReport.VolumesDeleted).ConfigureAwait(false);
            reclaimed += volumeReport.SpaceReclaimed;
        }

        var networks = await context.Client.Networks.PruneAsync(filters, cancellationToken).ConfigureAwait(false);
        await ListAsync(context, "Deleted Networks:", networks.NetworksDeleted ?? []).ConfigureAwait(false);

        var imageFilters = filterValues.ToList();
        imageFilters.Add("dangling=" + (all ? "false" : "true"));
        var images = await context.Client.Images.PruneAsync(FilterArgs.ToJson(imageFilters), cancellationToken).ConfigureAwait(false);
        var imageLines = new List<string>();
        foreach (var item in images.ImagesDeleted ?? [])
        {
            if (item.Untagged is { } untagged)
            {
                imageLines.Add("untagged: " + untagged);
            }

            if (item.Deleted is { } deleted)
            {
                imageLines.Add("deleted: " + deleted);
            }
        }

        await ListAsync(context, "Deleted Images:", imageLines).ConfigureAwait(false);
        reclaimed += images.SpaceReclaimed;

        try
        {
            var cache = await context.Client.Builds.PruneAsync(all, filters, cancellationToken: cancellationToken).ConfigureAwait(false);
            reclaimed += cache.TryGetProperty("SpaceReclaimed", out var space) && space.TryGetInt64(out var bytes) ? bytes : 0;
        }
        catch (EngineApiException ex) when (ex.IsNotFound)
        {
            // A daemon without a separate build cache (wharfd keeps build layers as images, pruned above).
        }

        await context.Out.WriteLineAsync("Total reclaimed space: " + HumanUnits.Size(reclaimed)).ConfigureAwait(false);
        return 0;
    }

    private static async Task ListAsync(CliContext context, string title, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        await context.Out.WriteLineAsync(title).ConfigureAwait(false);
        foreach (var line in lines)
        {
            await context.Out.WriteLineAsync(line).ConfigureAwait(false);
        }

        await context.Out.WriteLineAsync().ConfigureAwait(false);
    }
}
