namespace Wharf.Compose.Yaml;

/// <summary>A YAML sequence.</summary>
public sealed class SeqNode : Node
{
    public SeqNode(SourceLocation where)
        : base(where)
    {
    }

    public List<Node> Items { get; } = [];

    public override string Kind => "array";

    public override Node Clone()
    {
        var copy = new SeqNode(Where) { Tag = Tag };
        copy.Items.AddRange(Items.Select(i => i.Clone()));
        return copy;
    }
}
