using Wharf.Compose.Yaml;
using static Wharf.Compose.Loading.NodeRead;

namespace Wharf.Compose.Loading;

/// <summary>The top-level "include:" of the Compose Specification, as compose-go applies it: each entry's
/// files (the first one names the default project directory) are loaded as a project of their own, with their
/// own .env (or env_file) over the including project's variables and their relative paths made absolute
/// against their own project directory; then their services, networks, volumes, secrets and configs join the
/// including file. A name defined on both sides is an error unless both definitions are identical.</summary>
internal static class IncludeResolver
{
    private static readonly HashSet<string> EntryKeys = new(StringComparer.Ordinal) { "path", "project_directory", "env_file" };
    private static readonly string[] Sections = ["services", "volumes", "networks", "secrets", "configs"];

    public static void Apply(MapNode model, string workingDir, Func<string, string?> variables, IReadOnlyList<string> chain)
    {
        if (model.Get("include") is not { } include)
        {
            return;
        }

        model.Remove("include");
        if (include is ScalarNode { IsNull: true })
        {
            return;
        }

        var entries = include as SeqNode ?? throw ComposeException.At(include, "include", $"must be a list, not {include.Kind}");
        for (var i = 0; i < entries.Items.Count; i++)
        {
            var entry = entries.Items[i];
            var at = $"include[{i}]";
            List<string> paths;
            string? projectDirectory = null;
            List<string> envFiles = [];
            if (entry is MapNode map)
            {
                Keys(map, at, EntryKeys);
                paths = StrList(map.Get("path") ?? throw ComposeException.At(entry, at, "path is required"), at + ".path");
                projectDirectory = map.Get("project_directory") is { } pd ? Str(pd, at + ".project_directory") : null;
                envFiles = map.Get("env_file") is { } ef ? StrList(ef, at + ".env_file") : [];
            }
            else
            {
                paths = [Str(entry, at)];
            }

            if (paths.Count == 0)
            {
                throw ComposeException.At(entry, at + ".path", "needs at least one file");
            }

            var files = paths.Select(p => Path.GetFullPath(p, workingDir)).ToList();
            var directory = projectDirectory is null ? Path.GetDirectoryName(files[0])! : Path.GetFullPath(projectDirectory, workingDir);
            if (chain.Contains(files[0]))
            {
                throw ComposeException.At(entry, at, "include cycle detected: " + string.Join(" include ", chain.Append(files[0])));
            }

            var lookup = Variables(entry, at, envFiles, workingDir, directory, variables);
            var interpolator = new Interpolator(lookup);
            MapNode? imported = null;
            foreach (var file in files)
            {
                if (!File.Exists(file))
                {
                    throw ComposeException.At(entry, at + ".path", $"open {file}: no such file or directory");
                }

                var node = YamlReader.Read(File.ReadAllText(file), file) as MapNode
                    ?? throw new ComposeException($"{file}: top-level object must be a mapping");
                interpolator.Apply(node, "");
                Apply(node, directory, lookup, [.. chain, files[0]]);
                imported = imported is null ? node : NodeMerger.MergeProjects(imported, node);
            }

            NodeMerger.NormaliseServices(imported!);
            PathRebase.Apply(imported!, directory);
            Import(imported!, model);
        }
    }

    /// <summary>The included project's variables: its env files (given ones relative to the including
    /// project, else its own .env) win over the including project's, as compose-go merges them.</summary>
    private static Func<string, string?> Variables(Node entry, string at, List<string> envFiles, string workingDir, string directory, Func<string, string?> outer)
    {
        var files = envFiles.Count > 0
            ? envFiles.Select(f => Path.GetFullPath(f, workingDir)).ToList()
            : File.Exists(Path.Combine(directory, ".env")) ? [Path.Combine(directory, ".env")] : [];
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                throw ComposeException.At(entry, at + ".env_file", $"env file {file} not found");
            }

            foreach (var (key, value) in EnvFile.Parse(File.ReadAllText(file), file, name => outer(name) ?? values.GetValueOrDefault(name)))
            {
                values[key] = value;
            }
        }

        return name => values.TryGetValue(name, out var value) && value is not null ? value : outer(name);
    }

    private static void Import(MapNode source, MapNode target)
    {
        foreach (var section in Sections)
        {
            if (source.Get(section) is not MapNode from)
            {
                continue;
            }

            if (target.Get(section) is not MapNode to)
            {
                to = new MapNode(from.Where);
                target.Set(section, to);
            }

            foreach (var (name, value) in from.Entries)
            {
                if (to.Get(name) is { } existing)
                {
                    if (!SameTree(existing, value))
                    {
                        throw ComposeException.At(existing, $"{section}.{name}", $"conflicts with imported resource (from {value.Where})");
                    }

                    continue;
                }

                to.Set(name, value);
            }
        }
    }

    private static bool SameTree(Node a, Node b) => (a, b) switch
    {
        (ScalarNode x, ScalarNode y) => x.Value == y.Value && x.IsNull == y.IsNull,
        (SeqNode x, SeqNode y) => x.Items.Count == y.Items.Count && x.Items.Zip(y.Items).All(p => SameTree(p.First, p.Second)),
        (MapNode x, MapNode y) => x.Entries.Count == y.Entries.Count
            && x.Entries.All(e => y.Get(e.Key) is { } other && SameTree(e.Value, other)),
        _ => false,
    };
}
