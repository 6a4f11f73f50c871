namespace Wharf.Compose.Yaml;

/// <summary>A YAML value with its source location: the loader interpolates, merges and validates on this
/// tree before mapping it to the model, so every error can still name the file and line.</summary>
public abstract class Node
{
    protected Node(SourceLocation where) => Where = where;

    public SourceLocation Where { get; }

    /// <summary>A local YAML tag such as "!reset" or "!override" (the Compose merge directives); null when untagged.</summary>
    public string? Tag { get; set; }

    public abstract Node Clone();

    public abstract string Kind { get; }
}
