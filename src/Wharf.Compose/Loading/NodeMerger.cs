using Wharf.Compose.Yaml;

namespace Wharf.Compose.Loading;

/// <summary>The Compose Specification's merge rules for several -f files and for extends: mappings merge
/// recursively, scalars are replaced, command/entrypoint/healthcheck.test are replaced whole, volumes merge
/// by container path, secrets/configs by target, other sequences append values not already present.
/// Services are put in canonical form first (list forms of environment, labels, depends_on, networks...
/// become mappings) so that either spelling merges with the other. A value tagged "!override" replaces the
/// base value whole; one tagged "!reset" removes it (and, left in a file, means the key is absent).</summary>
public static class NodeMerger
{
    public const string ResetTag = "!reset";
    public const string OverrideTag = "!override";

    private static readonly HashSet<string> ReplacedSequences = new(StringComparer.Ordinal) { "command", "entrypoint", "test" };

    /// <summary>Keys whose list form ("K=V" items) is a mapping in disguise.</summary>
    private static readonly HashSet<string> KeyValueKeys = new(StringComparer.Ordinal) { "environment", "labels", "sysctls", "args", "annotations", "extra_hosts" };

    public static MapNode MergeProjects(MapNode base_, MapNode over)
    {
        NormaliseServices(base_);
        NormaliseServices(over);
        return (MapNode)Merge(base_, over, "");
    }

    public static MapNode MergeServices(MapNode base_, MapNode over)
    {
        NormaliseService(base_);
        NormaliseService(over);
        return (MapNode)Merge(base_, over, "service");
    }

    public static void NormaliseServices(MapNode project)
    {
        if (project.Get("services") is MapNode services)
        {
            foreach (var entry in services.Entries)
            {
                if (entry.Value is MapNode service)
                {
                    NormaliseService(service);
                }
            }
        }
    }

    public static void NormaliseService(MapNode service)
    {
        foreach (var key in KeyValueKeys)
        {
            if (service.Get(key) is SeqNode list)
            {
                service.Set(key, KeyValueListToMap(list, key == "extra_hosts"));
                service.Get(key)!.Tag = list.Tag;
            }
        }

        if (service.Get("build") is MapNode build && build.Get("args") is SeqNode args)
        {
            build.Set("args", KeyValueListToMap(args, false));
            build.Get("args")!.Tag = args.Tag;
        }

        foreach (var key in new[] { "depends_on", "networks" })
        {
            if (service.Get(key) is SeqNode names)
            {
                var map = new MapNode(names.Where) { Tag = names.Tag };
                foreach (var item in names.Items)
                {
                    if (item is ScalarNode s)
                    {
                        map.Set(s.Value, new ScalarNode("", false, s.Where));
                    }
                    else
                    {
                        throw ComposeException.At(item, key, "items must be strings");
                    }
                }

                service.Set(key, map);
            }
        }
    }

    private static MapNode KeyValueListToMap(SeqNode list, bool hosts)
    {
        var map = new MapNode(list.Where);
        foreach (var item in list.Items)
        {
            if (item is not ScalarNode scalar)
            {
                throw ComposeException.At(item, "list item", "must be a string");
            }

            // extra_hosts uses "host:ip" (and "host=ip"); the rest "KEY=VALUE" or a bare KEY (value from the environment).
            var text = scalar.Value;
            var sep = text.IndexOf('=', StringComparison.Ordinal);
            if (hosts && sep < 0)
            {
                sep = text.IndexOf(':', StringComparison.Ordinal);
            }

            if (sep < 0)
            {
                map.Set(text, new ScalarNode("", false, scalar.Where));
            }
            else
            {
                map.Set(text[..sep], new ScalarNode(text[(sep + 1)..], true, scalar.Where));
            }
        }

        return map;
    }

    private static Node Merge(Node base_, Node over, string key)
    {
        if (base_ is MapNode baseMap && over is MapNode overMap)
        {
            var result = (MapNode)baseMap.Clone();
            foreach (var (k, v) in overMap.Entries)
            {
                if (v.Tag == ResetTag)
                {
                    result.Remove(k);
                    continue;
                }

                if (v.Tag == OverrideTag)
                {
                    result.Set(k, v.Clone());
                    continue;
                }

                var existing = result.Get(k);
                result.Set(k, existing is null ? v.Clone() : Merge(existing, v, k));
            }

            return result;
        }

        if (base_ is SeqNode baseSeq && over is SeqNode overSeq && !ReplacedSequences.Contains(key))
        {
            var result = (SeqNode)baseSeq.Clone();
            Func<Node, string?> identity = key switch
            {
                "volumes" => VolumeTarget,
                "secrets" or "configs" => ReferenceTarget,
                _ => n => n is ScalarNode s ? s.Value : null,
            };
            foreach (var item in overSeq.Items)
            {
                var id = identity(item);
                var index = id is null ? -1 : result.Items.FindIndex(existing => identity(existing) == id);
                if (index >= 0)
                {
                    result.Items[index] = item.Clone();
                }
                else
                {
                    result.Items.Add(item.Clone());
                }
            }

            return result;
        }

        return over.Clone();
    }

    /// <summary>Drops what is still tagged "!reset" once all merging is done (a reset in the first file, or one
    /// with nothing to reset), as compose-go does.</summary>
    public static void RemoveResets(Node node)
    {
        switch (node)
        {
            case MapNode map:
                map.Entries.RemoveAll(e => e.Value.Tag == ResetTag);
                foreach (var entry in map.Entries)
                {
                    RemoveResets(entry.Value);
                }

                break;
            case SeqNode seq:
                seq.Items.RemoveAll(i => i.Tag == ResetTag);
                foreach (var item in seq.Items)
                {
                    RemoveResets(item);
                }

                break;
        }
    }

    private static string? VolumeTarget(Node node) => node switch
    {
        MapNode map => (map.Get("target") as ScalarNode)?.Value,
        ScalarNode s => ShortVolume.TargetOf(s.Value),
        _ => null,
    };

    private static string? ReferenceTarget(Node node) => node switch
    {
        MapNode map => (map.Get("target") as ScalarNode)?.Value ?? (map.Get("source") as ScalarNode)?.Value,
        ScalarNode s => s.Value,
        _ => null,
    };
}
