namespace Wharf.Compose.Yaml;

/// <summary>A YAML scalar. Quoted scalars are always strings; plain ones may be null, bools or numbers.</summary>
public sealed class ScalarNode : Node
{
    public ScalarNode(string value, bool quoted, SourceLocation where)
        : base(where)
    {
        Value = value;
        Quoted = quoted;
    }

    public ScalarNode(string value)
        : this(value, true, SourceLocation.None)
    {
    }

    public string Value { get; set; }

    public bool Quoted { get; }

    public bool IsNull => !Quoted && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Kind => IsNull ? "null" : "string";

    public override Node Clone() => new ScalarNode(Value, Quoted, Where) { Tag = Tag };

    public override string ToString() => Value;
}
