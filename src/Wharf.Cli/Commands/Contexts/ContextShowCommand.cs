using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Contexts;

/// <summary>`context show`: the name of the context in effect (--context, WHARF_CONTEXT/DOCKER_CONTEXT, -H or the
/// environment's host meaning "default", then config.json's currentContext), for prompts and scripts.</summary>
internal sealed class ContextShowCommand : ICommand
{
    public string Name => "context show";

    public string Usage => "context show";

    public string Description => "Print the name of the current context";

    public IReadOnlyList<OptionSpec> Options { get; } = [];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 0)
        {
            throw new CliUsageException("\"wharf context show\" accepts no arguments.", 1);
        }

        await context.Out.WriteLineAsync(context.ContextName).ConfigureAwait(false);
        return 0;
    }
}
