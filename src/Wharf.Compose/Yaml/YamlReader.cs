using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Wharf.Compose.Yaml;

/// <summary>Parses YAML text into our node tree through YamlDotNet's representation model (no reflection
/// serializer, so it is NativeAOT-safe). Resolves aliases and "&lt;&lt;" merge keys.</summary>
public static class YamlReader
{
    public static Node Read(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new ComposeException($"{file}:{ex.Start.Line}: invalid YAML: {ex.InnerException?.Message ?? ex.Message}", ex);
        }

        if (stream.Documents.Count == 0)
        {
            return new MapNode(new SourceLocation(file, 1, 1));
        }

        return Convert(stream.Documents[0].RootNode, file, 0);
    }

    private static Node Convert(YamlNode node, string file, int depth)
    {
        if (depth > 200)
        {
            throw new ComposeException($"{file}: YAML nested too deeply (recursive alias?)");
        }

        var converted = ConvertUntagged(node, file, depth);
        converted.Tag = node.Tag.IsEmpty || !node.Tag.Value.StartsWith('!') || node.Tag.Value.StartsWith("!!", StringComparison.Ordinal) ? null : node.Tag.Value;
        return converted;
    }

    private static Node ConvertUntagged(YamlNode node, string file, int depth)
    {
        var where = new SourceLocation(file, (int)node.Start.Line, (int)node.Start.Column);
        switch (node)
        {
            case YamlScalarNode scalar:
                return new ScalarNode(scalar.Value ?? "", scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded, where);
            case YamlSequenceNode sequence:
                var seq = new SeqNode(where);
                foreach (var item in sequence.Children)
                {
                    seq.Items.Add(Convert(item, file, depth + 1));
                }

                return seq;
            case YamlMappingNode mapping:
                var map = new MapNode(where);
                var merges = new List<MapNode>();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode keyScalar)
                    {
                        throw new ComposeException($"{where}: mapping keys must be strings");
                    }

                    var name = keyScalar.Value ?? "";
                    var converted = Convert(value, file, depth + 1);
                    if (name == "<<" && keyScalar.Style == ScalarStyle.Plain)
                    {
                        // YAML merge key: a mapping or a list of mappings whose keys fill in what this one lacks.
                        if (converted is MapNode single)
                        {
                            merges.Add(single);
                        }
                        else if (converted is SeqNode list && list.Items.All(i => i is MapNode))
                        {
                            merges.AddRange(list.Items.Cast<MapNode>());
                        }
                        else
                        {
                            throw new ComposeException($"{converted.Where}: <<: a merge key needs a mapping or a list of mappings");
                        }

                        continue;
                    }

                    map.Entries.Add(new(name, converted));
                }

                foreach (var merge in merges)
                {
                    foreach (var entry in merge.Entries.Where(e => !map.Has(e.Key)))
                    {
                        map.Entries.Add(new(entry.Key, entry.Value.Clone()));
                    }
                }

                return map;
            default:
                throw new ComposeException($"{where}: unsupported YAML node");
        }
    }
}
