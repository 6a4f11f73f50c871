namespace Wharf.Compose.Yaml;

/// <summary>A YAML mapping with string keys, in document order.</summary>
public sealed class MapNode : Node
{
    public MapNode(SourceLocation where)
        : base(where)
    {
    }

    public MapNode()
        : this(SourceLocation.None)
    {
    }

    public List<KeyValuePair<string, Node>> Entries { get; } = [];

    public override string Kind => "mapping";

    public IEnumerable<string> Keys => Entries.Select(e => e.Key);

    public Node? Get(string key)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key == key)
            {
                return entry.Value;
            }
        }

        return null;
    }

    public bool Has(string key) => Get(key) is not null;

    public void Set(string key, Node value)
    {
        for (var i = 0; i < Entries.Count; i++)
        {
            if (Entries[i].Key == key)
            {
                Entries[i] = new(key, value);
                return;
            }
        }

        Entries.Add(new(key, value));
    }

    public void Remove(string key) => Entries.RemoveAll(e => e.Key == key);

    public override Node Clone()
    {
        var copy = new MapNode(Where) { Tag = Tag };
        copy.Entries.AddRange(Entries.Select(e => new KeyValuePair<string, Node>(e.Key, e.Value.Clone())));
        return copy;
    }
}
