namespace Wharf.Api.Streams;

/// <summary>Docker's detach-key syntax: comma-separated keys, each "ctrl-&lt;x&gt;" (x in a-z, @, [, \, ], ^, _) or
/// one plain character. "ctrl-p,ctrl-q" (the default) is the bytes 0x10 0x11. Shared by the daemon (which
/// watches attach/exec input) and the CLI (which watches its own terminal input, as docker's does).</summary>
public static class DetachKeys
{
    public const string Default = "ctrl-p,ctrl-q";

    /// <summary>The sequence to use: the requested keys, else the fallback (daemon default), else ctrl-p,ctrl-q.</summary>
    public static byte[] Resolve(string? requested, string? fallback) =>
        Parse(!string.IsNullOrEmpty(requested) ? requested : !string.IsNullOrEmpty(fallback) ? fallback : Default);

    /// <exception cref="FormatException">"Invalid detach keys (...) provided", Docker's wording.</exception>
    public static byte[] Parse(string keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var bytes = new List<byte>();
        foreach (var key in keys.Split(','))
        {
            var k = key.Trim();
            if (k.Length > 1 && k.StartsWith("ctrl-", StringComparison.OrdinalIgnoreCase))
            {
                if (k.Length != 6) throw Invalid(keys);
                var c = char.ToLowerInvariant(k[5]);
                if (c is >= 'a' and <= 'z') bytes.Add((byte)(c - 'a' + 1));
                else if (c == '@') bytes.Add(0);
                else if (c is '[' or '\\' or ']' or '^' or '_') bytes.Add((byte)(c - '[' + 27));
                else throw Invalid(keys);
            }
            else if (k.Length == 1 && k[0] < 0x80)
            {
                bytes.Add((byte)k[0]);
            }
            else
            {
                throw Invalid(keys);
            }
        }
        return [.. bytes];
    }

    private static FormatException Invalid(string keys) => new($"Invalid detach keys ({keys}) provided");
}
