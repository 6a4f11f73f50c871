using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Completion;

/// <summary>wharf completion bash|zsh|fish: prints a completion script for commands, their flags, and the names of
/// containers, images, networks and volumes (asked of the daemon with wharf itself while completing).</summary>
internal sealed class CompletionCommand : ICommand
{
    private readonly Func<CommandCatalog> _catalog;

    public CompletionCommand(Func<CommandCatalog> catalog) => _catalog = catalog;

    public string Name => "completion";

    public string Usage => "completion bash|zsh|fish";

    public string Description => "Generate the autocompletion script for the specified shell";

    public IReadOnlyList<OptionSpec> Options { get; } = [];

    public bool NeedsDaemon => false;

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 1)
        {
            throw new CliUsageException($"\"wharf {context.CommandPath}\" requires exactly 1 argument.", 1);
        }

        var model = CompletionModel.From(_catalog());
        var script = args.Positionals[0] switch
        {
            "bash" => BashCompletion.Script(model),
            "zsh" => "#compdef wharf\nautoload -U +X bashcompinit && bashcompinit\n" + BashCompletion.Script(model),
            "fish" => FishCompletion.Script(model),
            var other => throw new CliUsageException($"unsupported shell \"{other}\": expected bash, zsh or fish", 1),
        };
        await context.Out.WriteAsync(script).ConfigureAwait(false);
        return 0;
    }
}
