using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Wharf.Core.Errors;

namespace Wharf.Engine.Images;

/// <summary>A normalised image reference: "busybox" becomes domain docker.io, path library/busybox, tag latest.
/// Only obtainable through <see cref="Parse"/>/<see cref="TryParse"/>, so an instance is always valid.</summary>
public readonly partial record struct ImageReference
{
    public const string DefaultDomain = "docker.io";
    public const string DefaultTag = "latest";
    private const string LegacyDefaultDomain = "index.docker.io";
    private const string OfficialRepoPrefix = "library/";
    private const int MaxNameLength = 255;

    private ImageReference(string domain, string path, string? tag, string? digest)
    {
        Domain = domain;
        Path = path;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>Registry host (with port), e.g. "docker.io" or "localhost:5000".</summary>
    public string Domain { get; }

    /// <summary>Repository path inside the registry, e.g. "library/busybox".</summary>
    public string Path { get; }

    /// <summary>The tag; "latest" unless a digest was given without a tag.</summary>
    public string? Tag { get; }

    /// <summary>"sha256:..." when the reference pins a digest.</summary>
    public string? Digest { get; }

    /// <summary>Fully qualified repository name, e.g. "docker.io/library/busybox".</summary>
    public string Name => Domain + "/" + Path;

    /// <summary>The repository as users type it: "busybox", "user/app", "localhost:5000/x".</summary>
    public string FamiliarName
    {
        get
        {
            if (Domain != DefaultDomain) return Name;
            var rest = Path[OfficialRepoPrefix.Length..];
            return Path.StartsWith(OfficialRepoPrefix, StringComparison.Ordinal) && !rest.Contains('/') ? rest : Path;
        }
    }

    /// <summary>"busybox:latest", "localhost:5000/x:1", "busybox@sha256:...".</summary>
    public string FamiliarString => FamiliarName + Suffix;

    public override string ToString() => Name + Suffix;

    private string Suffix => (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    public static ImageReference Parse(string text) =>
        TryParse(text, out var reference, out var error) ? reference : throw EngineException.Invalid(error);

    public static bool TryParse(string? text, out ImageReference reference) => TryParse(text, out reference, out _);

    private static bool TryParse(string? text, out ImageReference reference, [NotNullWhen(false)] out string? error)
    {
        reference = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "invalid reference format";
            return false;
        }
        if (FullHexId().IsMatch(text))
        {
            error = $"invalid repository name ({text}), cannot specify 64-byte hexadecimal strings";
            return false;
        }

        var (domain, remainder) = SplitDomain(text);
        var tagSeparator = remainder.IndexOf(':', StringComparison.Ordinal);
        var remoteName = tagSeparator < 0 ? remainder : remainder[..tagSeparator];
        if (!string.Equals(remoteName.ToLowerInvariant(), remoteName, StringComparison.Ordinal))
        {
            error = $"invalid reference format: repository name ({remoteName}) must be lowercase";
            return false;
        }

        var match = ReferenceGrammar().Match(domain + "/" + remainder);
        if (!match.Success)
        {
            error = "invalid reference format";
            return false;
        }
        var name = match.Groups["name"].Value;
        if (name.Length > MaxNameLength)
        {
            error = $"repository name must not be more than {MaxNameLength} characters";
            return false;
        }
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var tag = match.Groups["tag"].Success ? match.Groups["tag"].Value : null;
        var digest = match.Groups["digest"].Success ? match.Groups["digest"].Value : null;
        tag ??= digest is null ? DefaultTag : null;
        reference = new ImageReference(name[..slash], name[(slash + 1)..], tag, digest);
        error = null;
        return true;
    }

    // A first component is a registry host only if it looks like one (has '.', ':' or is localhost); otherwise
    // "user/app" means docker.io/user/app. Upper case in the first component also marks a host, as Docker does.
    private static (string Domain, string Remainder) SplitDomain(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        string domain, remainder;
        if (slash < 0 || (!text.AsSpan(0, slash).ContainsAny('.', ':') && text[..slash] != "localhost"
                          && string.Equals(text[..slash].ToLowerInvariant(), text[..slash], StringComparison.Ordinal)))
        {
            (domain, remainder) = (DefaultDomain, text);
        }
        else
        {
            (domain, remainder) = (text[..slash], text[(slash + 1)..]);
        }
        if (domain == LegacyDefaultDomain) domain = DefaultDomain;
        if (domain == DefaultDomain && !remainder.Contains('/', StringComparison.Ordinal)) remainder = OfficialRepoPrefix + remainder;
        return (domain, remainder);
    }

    [GeneratedRegex("^[a-f0-9]{64}$")]
    private static partial Regex FullHexId();

    // The distribution reference grammar, always applied with an explicit domain in front.
    [GeneratedRegex(
        @"^(?<name>(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?" +
        @"(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)+)" +
        @"(?::(?<tag>[\w][\w.-]{0,127}))?" +
        @"(?:@(?<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}))?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex ReferenceGrammar();
}
