namespace Wharf.Compose.Model;

/// <summary>One links entry, "SERVICE" or "SERVICE:ALIAS", or one external_links entry, "CONTAINER" or
/// "CONTAINER:ALIAS" (the alias defaults to the name).</summary>
public static class LinkSpec
{
    public static string ServiceOf(string link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var colon = link.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? link : link[..colon];
    }

    public static string AliasOf(string link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var colon = link.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? link : link[(colon + 1)..];
    }
}
