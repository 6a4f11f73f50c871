using System.Text.Json;

namespace Wharf.Registry.Hosting;

/// <summary>Reads a JSON config file ({"listen": "...", "root": "...", "auth": "htpasswd", "htpasswd": "...",
/// "tls": {"certificate": "...", "key": "..."}, "readOnly": true, ...}) and applies command-line flags on top.</summary>
internal static class RegistryConfigLoader
{
    public static RegistryOptions FromFile(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = document.RootElement;
        var options = new RegistryOptions();
        string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        options = options with
        {
            Listen = Text(root, "listen") ?? options.Listen,
            Root = Text(root, "root") ?? options.Root,
            Storage = Text(root, "storage") ?? options.Storage,
            Auth = Text(root, "auth") ?? options.Auth,
            HtpasswdPath = Text(root, "htpasswd"),
            Realm = Text(root, "realm") ?? options.Realm,
            TokenRealm = Text(root, "tokenRealm"),
            TokenService = Text(root, "tokenService") ?? options.TokenService,
            TokenIssuer = Text(root, "tokenIssuer") ?? options.TokenIssuer,
            TokenSecret = Text(root, "tokenSecret"),
            ReadOnly = root.TryGetProperty("readOnly", out var ro) && ro.ValueKind == JsonValueKind.True,
        };
        if (root.TryGetProperty("tls", out var tls) && tls.ValueKind == JsonValueKind.Object)
        {
            options = options with { TlsCertificate = Text(tls, "certificate"), TlsKey = Text(tls, "key") };
        }
        return options;
    }

    /// <summary>Applies "--flag value" pairs (and the bare --read-only/--dry-run switches) over <paramref name="options"/>.</summary>
    public static RegistryOptions ApplyFlags(RegistryOptions options, IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"flag needs an argument: {flag}");
            options = flag switch
            {
                "--listen" or "-l" => options with { Listen = Value() },
                "--root" or "-r" => options with { Root = Value() },
                "--storage" => options with { Storage = Value() },
                "--tls-cert" => options with { TlsCertificate = Value() },
                "--tls-key" => options with { TlsKey = Value() },
                "--auth" => options with { Auth = Value() },
                "--htpasswd" => options with { HtpasswdPath = Value(), Auth = options.Auth == "none" ? "htpasswd" : options.Auth },
                "--realm" => options with { Realm = Value() },
                "--token-realm" => options with { TokenRealm = Value() },
                "--token-service" => options with { TokenService = Value() },
                "--token-secret" => options with { TokenSecret = Value() },
                "--read-only" => options with { ReadOnly = true },
                "--config" or "-c" => Skip(options, ref i),
                "--dry-run" => options,
                "--upload-max-age" => options with { UploadMaxAge = ParseDuration(Value()) },
                _ => throw new ArgumentException($"unknown flag: {flag}"),
            };
        }
        return options;
    }

    /// <summary>"90s", "30m", "24h", "7d" (a bare number is seconds).</summary>
    public static TimeSpan ParseDuration(string text)
    {
        var unit = text.Length > 0 && char.IsLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsLetter(unit) && text.Length > 0 && char.IsLetter(text[^1]) ? text[..^1] : text;
        if (!double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < 0)
            throw new ArgumentException($"invalid duration: {text}");
        return unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ => throw new ArgumentException($"invalid duration: {text}"),
        };
    }

    private static RegistryOptions Skip(RegistryOptions options, ref int i)
    {
        i++;
        return options;
    }
}
