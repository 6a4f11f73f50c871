using System.Text;
using Wharf.Cli.Commands;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Output;

/// <summary>Help screens in docker's (cobra/pflag's) layout: command names padded to one column, flag usages aligned.</summary>
internal static class HelpText
{
    /// <summary>cobra pads command names to the longest name, never less than 11.</summary>
    private const int MinNamePadding = 11;

    public static string Root(CommandCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var topLevel = catalog.TopLevel.Where(p => !p.Value.Hidden).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var common = CommandCatalog.CommonCommands.Where(topLevel.ContainsKey).Select(n => (n, topLevel[n].Description)).ToList();
        var groups = catalog.Groups.Concat(topLevel.Keys.Where(CommandCatalog.GroupDescriptions.ContainsKey)).Distinct().Order(StringComparer.Ordinal)
            .Select(g => (g, CommandCatalog.GroupDescriptions.TryGetValue(g, out var d) ? d : "")).ToList();
        var others = topLevel.Where(p => !CommandCatalog.CommonCommands.Contains(p.Key) && !CommandCatalog.GroupDescriptions.ContainsKey(p.Key))
            .Select(p => (p.Key, p.Value.Description)).ToList();
        var width = Math.Max(MinNamePadding, common.Concat(groups).Concat(others).Max(e => e.Item1.Length));

        var text = new StringBuilder();
        text.Append("Usage:  wharf [OPTIONS] COMMAND\n\nA Docker-compatible container engine\n");
        Section(text, "Common Commands", common, width);
        Section(text, "Management Commands", groups, width);
        Section(text, "Commands", others, width);
        text.Append("\nGlobal Options:\n").Append(Flags(GlobalOptions.All));
        text.Append("\nRun 'wharf COMMAND --help' for more information on a command.\n");
        return text.ToString();
    }

    public static string Group(CommandCatalog catalog, string group)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var entries = catalog.SubcommandsOf(group).Select(s => (s.Word, s.Command.Description)).ToList();
        var width = Math.Max(MinNamePadding, entries.Count == 0 ? 0 : entries.Max(e => e.Word.Length));
        var text = new StringBuilder();
        text.Append("Usage:  wharf ").Append(group).Append(" COMMAND\n\n")
            .Append(CommandCatalog.GroupDescriptions.TryGetValue(group, out var description) ? description : "").Append('\n');
        Section(text, "Commands", entries, width);
        text.Append("\nRun 'wharf ").Append(group).Append(" COMMAND --help' for more information on a command.\n");
        return text.ToString();
    }

    /// <summary>"wharf ps --help": usage with the spelling typed, the description, aliases, then the flags.</summary>
    public static string Command(ICommand command, string invokedPath)
    {
        ArgumentNullException.ThrowIfNull(command);
        var text = new StringBuilder();
        text.Append("Usage:  wharf ").Append(UsageFor(command, invokedPath)).Append("\n\n").Append(command.Description).Append('\n');
        if (command.Aliases.Count > 0)
        {
            text.Append("\nAliases:\n  ").Append(string.Join(", ", CommandCatalog.Spellings(command).Select(s => "wharf " + s))).Append('\n');
        }

        if (command.Options.Count > 0)
        {
            text.Append("\nOptions:\n").Append(Flags(command.Options));
        }

        return text.ToString();
    }

    /// <summary>The usage line with the command's own words replaced by what the user typed ("ps [OPTIONS]").</summary>
    public static string UsageFor(ICommand command, string invokedPath)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var spelling in CommandCatalog.Spellings(command).OrderByDescending(s => s.Length))
        {
            if (command.Usage == spelling || command.Usage.StartsWith(spelling + " ", StringComparison.Ordinal))
            {
                return invokedPath + command.Usage[spelling.Length..];
            }
        }

        return command.Usage;
    }

    /// <summary>pflag's FlagUsages: "  -a, --all" / "      --format string", usages aligned three columns past the longest.</summary>
    public static string Flags(IEnumerable<OptionSpec> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var lines = options.Where(o => !o.Hidden).OrderBy(o => o.Name, StringComparer.Ordinal)
            .Select(o => ((o.Short is { } s ? $"  -{s}, --" : "      --") + o.Name + (o.TakesValue ? " " + o.ValueName : ""), o.Help + o.DefaultSuffix))
            .ToList();
        if (lines.Count == 0)
        {
            return "";
        }

        var width = lines.Max(l => l.Item1.Length) + 3;
        var text = new StringBuilder();
        foreach (var (flag, help) in lines)
        {
            text.Append(flag.PadRight(width)).Append(help).Append('\n');
        }

        return text.ToString();
    }

    private static void Section(StringBuilder text, string title, IReadOnlyList<(string Name, string Description)> entries, int width)
    {
        if (entries.Count == 0)
        {
            return;
        }

        text.Append('\n').Append(title).Append(":\n");
        foreach (var (name, description) in entries)
        {
            text.Append("  ").Append(name.PadRight(width)).Append(' ').Append(description).Append('\n');
        }
    }
}
