using Wharf.Compose.Yaml;

namespace Wharf.Compose.Loading;

/// <summary>Makes the relative paths of a project's node tree absolute against its own directory (build
/// contexts, env_file, extends.file, bind sources, secret/config files), so the tree can join another
/// project's, as compose-go's ResolveRelativePaths does for included files. "~" is left for the mapper.</summary>
internal static class PathRebase
{
    public static void Apply(MapNode root, string directory)
    {
        if (root.Get("services") is MapNode services)
        {
            foreach (var (_, node) in services.Entries)
            {
                if (node is MapNode service)
                {
                    Service(service, directory);
                }
            }
        }

        foreach (var section in new[] { "secrets", "configs" })
        {
            if (root.Get(section) is MapNode objects)
            {
                foreach (var (_, node) in objects.Entries)
                {
                    if (node is MapNode item && item.Get("file") is ScalarNode file)
                    {
                        file.Value = Absolute(file.Value, directory);
                    }
                }
            }
        }
    }

    private static void Service(MapNode service, string directory)
    {
        switch (service.Get("build"))
        {
            case ScalarNode context when !IsUrl(context.Value):
                context.Value = Absolute(context.Value, directory);
                break;
            case MapNode build:
                // compose-go sets the default context "." before resolving, so a build without one is rebased too.
                if (build.Get("context") is ScalarNode { IsNull: false } buildContext)
                {
                    if (!IsUrl(buildContext.Value))
                    {
                        buildContext.Value = Absolute(buildContext.Value, directory);
                    }
                }
                else
                {
                    build.Set("context", new ScalarNode(directory, true, build.Where));
                }

                break;
        }

        switch (service.Get("env_file"))
        {
            case ScalarNode single:
                single.Value = Absolute(single.Value, directory);
                break;
            case SeqNode list:
                foreach (var item in list.Items)
                {
                    if (item is ScalarNode path)
                    {
                        path.Value = Absolute(path.Value, directory);
                    }
                    else if (item is MapNode { } entry && entry.Get("path") is ScalarNode longPath)
                    {
                        longPath.Value = Absolute(longPath.Value, directory);
                    }
                }

                break;
        }

        if (service.Get("extends") is MapNode extends && extends.Get("file") is ScalarNode extendsFile)
        {
            extendsFile.Value = Absolute(extendsFile.Value, directory);
        }

        if (service.Get("volumes") is SeqNode volumes)
        {
            foreach (var item in volumes.Items)
            {
                if (item is ScalarNode shortForm)
                {
                    var (source, target, mode) = ShortVolume.Split(shortForm.Value);
                    if (source is not null && source.StartsWith('.'))
                    {
                        shortForm.Value = Absolute(source, directory) + ":" + target + (mode is null ? "" : ":" + mode);
                    }
                }
                else if (item is MapNode longForm && (longForm.Get("type") as ScalarNode)?.Value == "bind"
                    && longForm.Get("source") is ScalarNode bindSource && !bindSource.Value.StartsWith('~'))
                {
                    bindSource.Value = Absolute(bindSource.Value, directory);
                }
            }
        }
    }

    private static bool IsUrl(string context) => context.Contains("://", StringComparison.Ordinal) || context.StartsWith("git@", StringComparison.Ordinal);

    private static string Absolute(string path, string directory) =>
        path.StartsWith('~') || path.Length == 0 ? path : Path.GetFullPath(path, directory);
}
