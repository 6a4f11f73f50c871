using Wharf.Api.Client;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

internal sealed class RenameCommand : ICommand
{
    public string Name => "container rename";

    public IReadOnlyList<string> Aliases { get; } = ["rename"];

    public string Usage => "rename CONTAINER NEW_NAME";

    public string Description => "Rename a container";

    public IReadOnlyList<OptionSpec> Options { get; } = [];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 2)
        {
            throw new CliUsageException("\"wharf rename\" requires exactly 2 arguments.", 1);
        }

        var newName = args.Positionals[1].Trim();
        if (newName.Length == 0 || newName == "/")
        {
            await context.Err.WriteLineAsync("Error: new name cannot be blank").ConfigureAwait(false);
            return 1;
        }

        await context.Client.Containers.RenameAsync(args.Positionals[0], newName, cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
