using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

internal sealed class ContainerPruneCommand : ICommand
{
    public string Name => "container prune";

    public string Usage => "container prune [OPTIONS]";

    public string Description => "Remove all stopped containers";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("force", 'f', "Do not prompt for confirmation"),
        OptionSpec.Value("filter", null, "Provide filter values (e.g. \"until=<timestamp>\")", "filter"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (!args.Flag("force"))
        {
            await context.Out.WriteAsync("WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ").ConfigureAwait(false);
            await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(context.OpenStdin());
            var answer = (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.Trim();
            if (answer is not ("y" or "Y" or "yes" or "YES" or "Yes"))
            {
                await context.Err.WriteLineAsync("Total reclaimed space: 0B").ConfigureAwait(false);
                return 0;
            }
        }

        var result = await context.Client.Containers.PruneAsync(FilterArgs.ToJson(args.Values("filter")), cancellationToken).ConfigureAwait(false);
        if (result.ContainersDeleted is { Count: > 0 } deleted)
        {
            await context.Out.WriteLineAsync("Deleted Containers:").ConfigureAwait(false);
            foreach (var id in deleted)
            {
                await context.Out.WriteLineAsync(id).ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync().ConfigureAwait(false);
        }

        await context.Out.WriteLineAsync("Total reclaimed space: " + HumanUnits.Size(result.SpaceReclaimed)).ConfigureAwait(false);
        return 0;
    }
}
