using Wharf.Cli.Parsing;
using Wharf.Compose.Cli;
using Wharf.Compose.Engine;

namespace Wharf.Cli.Commands.Compose;

/// <summary>"wharf compose ..." (and "docker compose ..." through the CLI plugin): hands the arguments to
/// Wharf.Compose's own command line, with an engine over this invocation's API client.</summary>
internal sealed class ComposeCommand : ICommand
{
    public string Name => "compose";

    public string Usage => "compose [OPTIONS] COMMAND";

    public string Description => "Define and run multi-container applications";

    /// <summary>compose's global flags, declared so CliApp's parser accepts them before the sub-command.</summary>
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("file", 'f', "Compose configuration files"),
        OptionSpec.Value("project-name", 'p', "Project name"),
        OptionSpec.Value("project-directory", null, "Specify an alternate working directory"),
        OptionSpec.Value("profile", null, "Specify a profile to enable"),
        OptionSpec.Value("env-file", null, "Specify an alternate environment file"),
        OptionSpec.Value("ansi", null, "Control when to print ANSI control characters"),
        OptionSpec.Value("progress", null, "Set type of progress output"),
        OptionSpec.Value("parallel", null, "Control max parallelism"),
        OptionSpec.Flag("dry-run", null, "Execute command in dry run mode"),
        OptionSpec.Flag("compatibility", null, "Run compose in backward compatibility mode"),
    ];

    public bool StopAtFirstPositional => true;

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        // Rebuild compose's own argument list: global flags as given, then the sub-command and its arguments.
        var forwarded = new List<string>();
        foreach (var option in Options)
        {
            foreach (var value in args.Values(option.Name))
            {
                forwarded.Add(option.TakesValue ? $"--{option.Name}={value}" : $"--{option.Name}");
            }
        }

        forwarded.AddRange(args.Positionals);
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // First Ctrl+C stops gracefully (up stops its containers); a second one kills us.
            if (!interrupt.IsCancellationRequested)
            {
                e.Cancel = true;
                interrupt.Cancel();
            }
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var console = new ComposeConsole
            {
                Out = context.Out,
                Err = context.Err,
                Environment = context.Environment,
                Color = !Console.IsOutputRedirected && args.Value("ansi") != "never",
                Version = Wharf.Compose.Planning.ComposeLabels.ComposeVersion,
            };
            var cli = new ComposeCli(console, () => new EngineClientComposeEngine(context.Client));
            return await cli.RunAsync(forwarded, interrupt.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
