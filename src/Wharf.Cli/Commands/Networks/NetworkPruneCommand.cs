using Wharf.Api.Client;
using Wharf.Api.Networks;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Networks;

internal sealed class NetworkPruneCommand : ICommand
{
    public string Name => "network prune";

    public string Usage => "network prune [OPTIONS]";

    public string Description => "Remove all unused networks";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("force", 'f', "Do not prompt for confirmation"),
        OptionSpec.Value("filter", null, "Provide filter values (e.g. \"until=<timestamp>\")", "filter"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (!args.Flag("force"))
        {
            await context.Out.WriteAsync("WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ").ConfigureAwait(false);
            await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(context.OpenStdin());
            var answer = (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.Trim();
            if (answer is not ("y" or "Y" or "yes" or "YES" or "Yes")) return 0;
        }
        var result = await context.Client.Networks.PruneAsync(FilterArgs.ToJson(args.Values("filter")), cancellationToken).ConfigureAwait(false);
        if (result.NetworksDeleted is { Count: > 0 } deleted)
        {
            await context.Out.WriteLineAsync("Deleted Networks:").ConfigureAwait(false);
            foreach (var name in deleted) await context.Out.WriteLineAsync(name).ConfigureAwait(false);
        }
        return 0;
    }
}
