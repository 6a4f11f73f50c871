using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Completion;

/// <summary>What a completion script needs, shell-neutral: every spelling with its flags and the kind of names its
/// arguments are, the groups with their subcommands, and the top-level words.</summary>
internal sealed record CompletionModel(
    IReadOnlyList<CompletionEntry> Entries,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Groups,
    IReadOnlyList<string> TopLevel)
{
    public static CompletionModel From(CommandCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var entries = catalog.BySpelling.OrderBy(p => p.Key, StringComparer.Ordinal)
            // Hidden (deprecated) flags still work but are not offered, as cobra leaves them out of completion.
            .Select(p => new CompletionEntry(p.Key, [.. p.Value.Options.Where(o => !o.Hidden)], NameKind(p.Key, p.Value)))
            .ToList();
        var groups = catalog.Groups.ToDictionary(g => g, g => (IReadOnlyList<string>)[.. catalog.SubcommandsOf(g).Select(s => s.Word)], StringComparer.Ordinal);
        var top = catalog.TopLevel.Select(p => p.Key).Concat(catalog.Groups).Distinct().Order(StringComparer.Ordinal).ToList();
        return new CompletionModel(entries, groups, top);
    }

    /// <summary>Which names the command's arguments are: containers for container verbs, images for image verbs
    /// (and run/create, whose first argument is an image), networks and volumes for theirs.</summary>
    private static string NameKind(string spelling, ICommand command)
    {
        var canonical = command.Name;
        if (canonical is "container run" or "container create" or "image build" or "image load" or "image import" or "image ls" or "image prune"
            or "container ls" or "container prune")
        {
            return canonical is "container run" or "container create" ? "images" : "";
        }

        return canonical.Split(' ')[0] switch
        {
            "container" => "containers",
            "image" => "images",
            "network" when canonical is "network connect" or "network disconnect" or "network inspect" or "network rm" => "networks",
            "volume" when canonical is "volume inspect" or "volume rm" => "volumes",
            _ => spelling == "inspect" ? "containers images" : "",
        };
    }
}

/// <summary>One spelling ("container ls", "ps") with its flags and the kind of names its arguments take.</summary>
internal sealed record CompletionEntry(string Spelling, IReadOnlyList<OptionSpec> Options, string Names);
