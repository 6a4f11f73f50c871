namespace Wharf.Compose.Model;

public sealed class LoggingConfig
{
    public string? Driver { get; set; }

    public SortedDictionary<string, string> Options { get; } = new(StringComparer.Ordinal);
}
