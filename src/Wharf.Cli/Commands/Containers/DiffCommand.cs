using Wharf.Api.ImageStore;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

/// <summary>docker diff: GET /containers/{id}/changes, printed as "A|C|D path".</summary>
internal sealed class DiffCommand : ICommand
{
    public string Name => "container diff";

    public IReadOnlyList<string> Aliases { get; } = ["diff"];

    public string Usage => "diff CONTAINER";

    public string Description => "Inspect changes to files or directories on a container's filesystem";

    public IReadOnlyList<OptionSpec> Options { get; } = [];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 1) throw new CliUsageException("\"wharf diff\" requires exactly 1 argument.", 1);
        var changes = await context.Client.Containers.ChangesAsync(args.Positionals[0], cancellationToken).ConfigureAwait(false);
        foreach (var change in changes)
        {
            var kind = change.Kind switch { 1 => "A", 2 => "D", _ => "C" };
            await context.Out.WriteLineAsync($"{kind} {change.Path}").ConfigureAwait(false);
        }
        return 0;
    }
}
