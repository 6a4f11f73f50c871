using System.Text.RegularExpressions;
using Wharf.Core;
using Wharf.Registry.Errors;

namespace Wharf.Registry.Distribution;

/// <summary>Validation of what arrives in URLs: repository names, tags and digests, per the distribution spec grammar.</summary>
internal static partial class RegistryNames
{
    private const int MaxNameLength = 255;

    public static string ValidateRepository(string name)
    {
        if (name.Length == 0 || name.Length > MaxNameLength || !RepositoryGrammar().IsMatch(name))
            throw new RegistryException(RegistryErrorCode.NameInvalid, "invalid repository name", name);
        return name;
    }

    public static bool IsTag(string reference) => TagGrammar().IsMatch(reference);

    public static string ValidateTag(string tag) =>
        IsTag(tag) ? tag : throw new RegistryException(RegistryErrorCode.TagInvalid, "invalid tag", tag);

    /// <summary>Parses a digest from a URL or query; only sha256 is stored, anything else is DIGEST_INVALID.</summary>
    public static Digest ParseDigest(string? text) =>
        Digest.TryParse(text, out var digest) ? digest : throw new RegistryException(RegistryErrorCode.DigestInvalid, "invalid digest", text);

    public static bool LooksLikeDigest(string reference) => reference.Contains(':', StringComparison.Ordinal);

    [GeneratedRegex("^[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryGrammar();

    [GeneratedRegex("^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagGrammar();
}
