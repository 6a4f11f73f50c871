using Wharf.Api.Client;
using Wharf.Api.Volumes;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Volumes;

internal sealed class VolumePruneCommand : ICommand
{
    public string Name => "volume prune";

    public string Usage => "volume prune [OPTIONS]";

    public string Description => "Remove unused local volumes";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("all", 'a', "Remove all unused volumes, not just anonymous ones"),
        OptionSpec.Flag("force", 'f', "Do not prompt for confirmation"),
        OptionSpec.Value("filter", null, "Provide filter values (e.g. \"label=<label>\")", "filter"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var all = args.Flag("all");
        if (!args.Flag("force"))
        {
            await context.Out.WriteAsync(all
                ? "WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] "
                : "WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ").ConfigureAwait(false);
            await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(context.OpenStdin());
            var answer = (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.Trim();
            if (answer is not ("y" or "Y" or "yes" or "YES" or "Yes"))
            {
                await context.Err.WriteLineAsync("Total reclaimed space: 0B").ConfigureAwait(false);
                return 0;
            }
        }

        var filters = args.Values("filter").ToList();
        if (all)
        {
            filters.Add("all=true");
        }

        var result = await context.Client.Volumes.PruneAsync(FilterArgs.ToJson(filters), cancellationToken).ConfigureAwait(false);
        if (result.VolumesDeleted.Count > 0)
        {
            await context.Out.WriteLineAsync("Deleted Volumes:").ConfigureAwait(false);
            foreach (var name in result.VolumesDeleted)
            {
                await context.Out.WriteLineAsync(name).ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync().ConfigureAwait(false);
        }

        await context.Out.WriteLineAsync("Total reclaimed space: " + HumanUnits.Size(result.SpaceReclaimed)).ConfigureAwait(false);
        return 0;
    }
}
