using System.Security.Cryptography;

namespace Wharf.Core;

/// <summary>A validated content digest, "sha256:" followed by 64 lower-case hex characters.</summary>
public readonly record struct Digest
{
    private const string Prefix = "sha256:";

    private Digest(string value) => Value = value;

    public string Value { get; }

    /// <summary>The 64 hex characters without the algorithm.</summary>
    public string Hex => Value[Prefix.Length..];

    public static Digest Parse(string text) =>
        TryParse(text, out var d) ? d : throw new FormatException($"invalid digest \"{text}\"");

    public static bool TryParse(string? text, out Digest digest)
    {
        digest = default;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal) || text.Length != Prefix.Length + 64) return false;
        foreach (var c in text.AsSpan(Prefix.Length))
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
        }
        digest = new Digest(text);
        return true;
    }

    public static Digest FromHex(string hex) => Parse(Prefix + hex);

    public static Digest Compute(ReadOnlySpan<byte> data) => new(Prefix + Convert.ToHexStringLower(SHA256.HashData(data)));

    public override string ToString() => Value;
}
