using Wharf.Cli.Commands.Completion;
using Wharf.Cli.Commands.Containers;
using Wharf.Cli.Commands.Contexts;
using Wharf.Cli.Commands.Images;
using Wharf.Cli.Commands.Networks;
using Wharf.Cli.Commands.Registry;
using Wharf.Cli.Commands.System;
using Wharf.Cli.Commands.Volumes;

namespace Wharf.Cli.Commands;

/// <summary>
/// Every command and every spelling that reaches it. Each command declares its canonical path ("container ls")
/// and aliases ("ps"); this class only lists them and answers "which command is `wharf a b ...`".
/// </summary>
internal sealed class CommandCatalog
{
    /// <summary>Management groups docker shows under "Management Commands", with their one-line help.</summary>
    public static IReadOnlyDictionary<string, string> GroupDescriptions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["builder"] = "Manage builds",
        ["compose"] = "Define and run multi-container applications",
        ["container"] = "Manage containers",
        ["context"] = "Manage contexts",
        ["image"] = "Manage images",
        ["manifest"] = "Manage Docker image manifests and manifest lists",
        ["network"] = "Manage networks",
        ["system"] = "Manage Wharf",
        ["tls"] = "Manage TLS material for remote daemons",
        ["volume"] = "Manage volumes",
    };

    /// <summary>docker's "Common Commands", in its order.</summary>
    public static IReadOnlyList<string> CommonCommands { get; } =
        ["run", "exec", "ps", "build", "pull", "push", "images", "login", "logout", "search", "version", "info"];

    private readonly Dictionary<string, ICommand> _bySpelling = new(StringComparer.Ordinal);

    public CommandCatalog(IEnumerable<ICommand> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        Commands = [.. commands];
        foreach (var command in Commands)
        {
            foreach (var spelling in (IEnumerable<string>)[command.Name, .. command.Aliases])
            {
                if (!_bySpelling.TryAdd(spelling, command))
                {
                    throw new InvalidOperationException($"two commands claim \"{spelling}\"");
                }
            }
        }
    }

    public static CommandCatalog Default { get; } = new(BuiltIn());

    public IReadOnlyList<ICommand> Commands { get; }

    /// <summary>Every spelling (canonical and alias) with its command.</summary>
    public IReadOnlyDictionary<string, ICommand> BySpelling => _bySpelling;

    /// <summary>Groups that have at least one subcommand ("container", "image", ...), sorted.</summary>
    public IReadOnlyList<string> Groups =>
        [.. _bySpelling.Keys.Where(k => k.Contains(' ', StringComparison.Ordinal)).Select(k => k[..k.IndexOf(' ', StringComparison.Ordinal)]).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>Top-level one-word spellings ("run", "ps", "images", ...).</summary>
    public IEnumerable<KeyValuePair<string, ICommand>> TopLevel =>
        _bySpelling.Where(p => !p.Key.Contains(' ', StringComparison.Ordinal)).OrderBy(p => p.Key, StringComparer.Ordinal);

    /// <summary>The subcommands of a group ("ls", "rm", ...), each once under its canonical spelling when it has one in the group.</summary>
    public IEnumerable<(string Word, ICommand Command)> SubcommandsOf(string group) =>
        Commands.Select(c => (Spelling: Spellings(c).FirstOrDefault(s => s.StartsWith(group + " ", StringComparison.Ordinal)), Command: c))
            .Where(p => p.Spelling is not null)
            .Select(p => (p.Spelling![(group.Length + 1)..], p.Command))
            .OrderBy(p => p.Item1, StringComparer.Ordinal);

    /// <summary>The command that <paramref name="words"/> (starting at <paramref name="start"/>) names: two-word spellings
    /// first, then one word. Returns null when nothing matches.</summary>
    public (ICommand Command, string Path, int Consumed)? Resolve(IReadOnlyList<string> words, int start)
    {
        ArgumentNullException.ThrowIfNull(words);
        if (start >= words.Count)
        {
            return null;
        }

        if (start + 1 < words.Count && _bySpelling.TryGetValue(words[start] + " " + words[start + 1], out var two))
        {
            return (two, words[start] + " " + words[start + 1], 2);
        }

        return _bySpelling.TryGetValue(words[start], out var one) ? (one, words[start], 1) : null;
    }

    /// <summary>The spellings listed under "Aliases:" in a command's help: canonical first, then the rest.</summary>
    public static IReadOnlyList<string> Spellings(ICommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return [command.Name, .. command.Aliases];
    }

    private static IEnumerable<ICommand> BuiltIn() =>
    [
        // container
        new AttachCommand(), new CommitCommand(), new CpCommand(), new CreateCommand(), new DiffCommand(), new ExecCommand(),
        new ExportCommand(), new InspectCommand("container inspect", "container"), new KillCommand(), new LogsCommand(), new PsCommand(),
        new PauseCommand(), new PortCommand(), new ContainerPruneCommand(), new RenameCommand(), new RestartCommand(), new RmCommand(),
        new RunCommand(), new StartCommand(), new StatsCommand(), new StopCommand(), new TopCommand(), new UnpauseCommand(),
        new UpdateCommand(), new WaitCommand(),

        // image
        new HistoryCommand(), new ImportCommand(), new InspectCommand("image inspect", "image"), new LoadCommand(), new ImagesCommand(),
        new ImagePruneCommand(), new PullCommand(), new PushCommand(), new RmiCommand(), new SaveCommand(), new TagCommand(),
        new BuildCommand(), new BuilderPruneCommand(),

        // network
        new NetworkConnectCommand(), new NetworkCreateCommand(), new NetworkDisconnectCommand(), new NetworkInspectCommand(),
        new NetworkLsCommand(), new NetworkPruneCommand(), new NetworkRmCommand(),

        // volume
        new VolumeCreateCommand(), new VolumeInspectCommand(), new VolumeLsCommand(), new VolumePruneCommand(), new VolumeRmCommand(),

        // system and top-level
        new SystemDfCommand(), new SystemPruneCommand(), new EventsCommand(), new InfoCommand(), new VersionCommand(), new InspectCommand("inspect", null),
        new TlsInitCommand(),

        // context
        new ContextCreateCommand(), new ContextExportCommand(), new ContextImportCommand(), new ContextInspectCommand(),
        new ContextListCommand(), new ContextRemoveCommand(), new ContextShowCommand(), new ContextUpdateCommand(), new ContextUseCommand(),

        // registry
        new LoginCommand(), new LogoutCommand(), new SearchCommand(), new ManifestInspectCommand(),

        // compose (Wharf.Compose behind one command; the metadata verb answers docker's plugin probe)
        new Compose.ComposeCommand(), new Compose.ComposePluginMetadataCommand(),

        new CompletionCommand(() => Default),
    ];
}
