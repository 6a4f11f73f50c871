namespace Wharf.Compose.Model;

public sealed class BuildConfig
{
    public string Context { get; set; } = ".";

    public string? Dockerfile { get; set; }

    public SortedDictionary<string, string?> Args { get; } = new(StringComparer.Ordinal);

    public string? Target { get; set; }

    public SortedDictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);
}
