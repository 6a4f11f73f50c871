using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Wharf.Registry.Auth;

/// <summary>Users from an Apache htpasswd file with bcrypt hashes (htpasswd -B), the only kind Docker's registry
/// accepts. bcrypt is deliberately slow and a docker push authenticates every request, so successful checks are
/// remembered by a SHA-256 of user and password.</summary>
internal sealed class HtpasswdFile
{
    private readonly Dictionary<string, string> _hashes;
    private readonly ConcurrentDictionary<string, bool> _verified = new(StringComparer.Ordinal);

    private HtpasswdFile(Dictionary<string, string> hashes) => _hashes = hashes;

    public static HtpasswdFile Load(string path) => Parse(File.ReadAllLines(path));

    public static HtpasswdFile Parse(IEnumerable<string> lines)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) continue;
            hashes[line[..colon]] = line[(colon + 1)..];
        }
        return new HtpasswdFile(hashes);
    }

    public bool Verify(string user, string password)
    {
        if (!_hashes.TryGetValue(user, out var hash) || !hash.StartsWith("$2", StringComparison.Ordinal)) return false;
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(user + "\0" + password + "\0" + hash)));
        if (_verified.ContainsKey(key)) return true;
        bool ok;
        try
        {
            ok = BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            ok = false;
        }
        if (ok) _verified[key] = true;
        return ok;
    }

    /// <summary>Reads "Authorization: Basic base64(user:password)"; null when absent or malformed.</summary>
    public static (string User, string Password)? ReadBasic(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
