namespace Wharf.Cli.Parsing;

/// <summary>
/// Splits a user image reference the way docker's reference.ParseNormalizedNamed does, enough for
/// pulling: fully-qualified repository (docker.io/library/x), and tag (default latest) or digest.
/// </summary>
internal sealed partial record ImageRef(string Repository, string? Tag, string? Digest)
{
    /// <summary>docker's reference grammar: optional domain[:port]/, lowercase path components, optional :tag and @digest.</summary>
    public static bool IsValid(string reference) =>
        !string.IsNullOrEmpty(reference) && reference.Length <= 255 + 128 + 80 && ReferencePattern().IsMatch(reference);

    [System.Text.RegularExpressions.GeneratedRegex(
        @"^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?/)?"
        + @"[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*)*"
        + @"(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$")]
    private static partial System.Text.RegularExpressions.Regex ReferencePattern();

    public static ImageRef Parse(string reference)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        string? digest = null;
        var name = reference;
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = name[(at + 1)..];
            name = name[..at];
        }

        string? tag = null;
        var lastSlash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = name[(colon + 1)..];
            name = name[..colon];
        }

        var firstSlash = name.IndexOf('/', StringComparison.Ordinal);
        var first = firstSlash < 0 ? "" : name[..firstSlash];
        var hasDomain = firstSlash >= 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" || first.Any(char.IsUpper));
        if (!hasDomain)
        {
            name = "docker.io/" + (firstSlash < 0 ? "library/" + name : name);
        }
        else if (first == "index.docker.io")
        {
            name = "docker.io" + name[firstSlash..];
        }

        if (tag is null && digest is null)
        {
            tag = "latest";
        }

        return new ImageRef(name, tag, digest);
    }

    /// <summary>The short form docker prints ("busybox:latest", "myreg:5000/x:1").</summary>
    public string Familiar
    {
        get
        {
            var name = Repository;
            if (name.StartsWith("docker.io/library/", StringComparison.Ordinal) && name.Count(c => c == '/') == 2)
            {
                name = name["docker.io/library/".Length..];
            }
            else if (name.StartsWith("docker.io/", StringComparison.Ordinal))
            {
                name = name["docker.io/".Length..];
            }

            return name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);
        }
    }

    public override string ToString() => Repository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);
}
