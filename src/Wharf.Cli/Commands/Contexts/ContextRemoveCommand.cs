using Wharf.Cli.Contexts;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Contexts;

internal sealed class ContextRemoveCommand : ICommand
{
    public string Name => "context rm";

    public IReadOnlyList<string> Aliases { get; } = ["context remove"];

    public string Usage => "context rm CONTEXT [CONTEXT...]";

    public string Description => "Remove one or more contexts";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("force", 'f', "Force the removal of a context in use"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count == 0)
        {
            throw new CliUsageException("\"wharf context rm\" requires at least 1 argument.", 1);
        }

        var store = context.Resolver!.Store;
        var failed = false;
        foreach (var name in args.Positionals)
        {
            try
            {
                if (name == DockerContext.DefaultName)
                {
                    throw new ContextException("default: context \"default\" cannot be removed");
                }

                var isCurrent = store.CurrentContext == name;
                if (isCurrent && !args.Flag("force"))
                {
                    throw new ContextException($"context \"{name}\" is in use, set -f flag to force remove");
                }

                store.Remove(name);
                if (isCurrent)
                {
                    store.SetCurrentContext(DockerContext.DefaultName);
                }

                await context.Out.WriteLineAsync(name).ConfigureAwait(false);
            }
            catch (ContextException e)
            {
                failed = true;
                await context.Err.WriteLineAsync(e.Message).ConfigureAwait(false);
            }
        }

        return failed ? 1 : 0;
    }
}
