namespace Wharf.Engine.Distribution;

/// <summary>A parsed WWW-Authenticate header: scheme ("Basic"/"Bearer") and its parameters (realm, service, scope).</summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public string? this[string name] => Parameters.TryGetValue(name, out var value) ? value : null;

    public static AuthChallenge? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        header = header.Trim();
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? header : header[..space];
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = space < 0 ? header.Length : space + 1;
        while (i < header.Length)
        {
            while (i < header.Length && header[i] is ' ' or ',') i++;
            var eq = header.IndexOf('=', i);
            if (eq < 0) break;
            var name = header[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < header.Length && header[i] == '"')
            {
                var close = header.IndexOf('"', i + 1);
                if (close < 0) close = header.Length;
                value = header[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                var comma = header.IndexOf(',', i);
                if (comma < 0) comma = header.Length;
                value = header[i..comma].Trim();
                i = comma;
            }
            parameters[name] = value;
        }
        return new AuthChallenge(scheme, parameters);
    }
}
