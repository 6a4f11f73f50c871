namespace Wharf.Compose.Yaml;

/// <summary>Where a node came from, for error messages.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public static readonly SourceLocation None = new("<generated>", 0, 0);

    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}
