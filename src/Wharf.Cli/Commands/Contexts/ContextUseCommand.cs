using Wharf.Cli.Contexts;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Contexts;

internal sealed class ContextUseCommand : ICommand
{
    public string Name => "context use";

    public string Usage => "context use CONTEXT";

    public string Description => "Set the current wharf (and docker) context";

    public IReadOnlyList<OptionSpec> Options { get; } = [];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 1)
        {
            throw new CliUsageException("\"wharf context use\" requires exactly 1 argument.", 1);
        }

        var name = args.Positionals[0];
        var store = context.Resolver!.Store;
        if (name != DockerContext.DefaultName)
        {
            store.Get(name);
        }

        store.SetCurrentContext(name);
        await context.Out.WriteLineAsync(name).ConfigureAwait(false);
        await context.Err.WriteLineAsync($"Current context is now \"{name}\"").ConfigureAwait(false);
        if (context.Environment("WHARF_HOST") is { Length: > 0 } || context.Environment("DOCKER_HOST") is { Length: > 0 })
        {
            await context.Err.WriteLineAsync("Warning: WHARF_HOST/DOCKER_HOST environment variable overrides the active context. To use a context, unset it").ConfigureAwait(false);
        }

        return 0;
    }
}
