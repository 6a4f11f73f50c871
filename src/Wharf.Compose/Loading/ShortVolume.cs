namespace Wharf.Compose.Loading;

/// <summary>Splits the short volume syntax "[SOURCE:]TARGET[:MODE]".</summary>
public static class ShortVolume
{
    public static (string? Source, string Target, string? Mode) Split(string text)
    {
        var parts = text.Split(':');
        return parts.Length switch
        {
            1 => (null, parts[0], null),
            2 => parts[1].StartsWith('/') ? (parts[0], parts[1], null) : (null, parts[0], parts[1]),
            _ => (parts[0], parts[1], string.Join(':', parts[2..])),
        };
    }

    public static string TargetOf(string text) => Split(text).Target;
}
