using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

/// <summary>docker top CONTAINER [ps OPTIONS]: the daemon runs ps; we print its columns aligned.</summary>
internal sealed class TopCommand : ICommand
{
    public string Name => "container top";

    public IReadOnlyList<string> Aliases { get; } = ["top"];

    public string Usage => "top CONTAINER [ps OPTIONS]";

    public string Description => "Display the running processes of a container";

    public IReadOnlyList<OptionSpec> Options { get; } = [];

    public bool StopAtFirstPositional => true;

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count == 0)
        {
            throw new CliUsageException("\"wharf top\" requires at least 1 argument.", 1);
        }

        var psArgs = args.Positionals.Count > 1 ? string.Join(' ', args.Positionals.Skip(1)) : null;
        var top = await context.Client.Containers.TopAsync(args.Positionals[0], psArgs, cancellationToken).ConfigureAwait(false);
        var lines = new List<string> { string.Join('\t', top.Titles) };
        lines.AddRange(top.Processes.Select(p => string.Join('\t', p)));
        await context.Out.WriteAsync(TabTable.Format(lines, minWidth: 20, padding: 3)).ConfigureAwait(false);
        return 0;
    }
}
