using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wharf.Cli.Registry;

/// <summary>Saved registry credentials in $DOCKER_CONFIG/config.json (default ~/.docker/config.json), in Docker's
/// format: "auths": {"host:port": {"auth": base64("user:password")}}, so docker and wharf share logins.
/// Other keys in the file are kept as they are.</summary>
internal sealed class DockerConfigAuth(Func<string, string?> environment)
{
    public const string DockerHubServer = "https://index.docker.io/v1/";

    public string ConfigPath
    {
        get
        {
            var directory = environment("DOCKER_CONFIG") is { Length: > 0 } d
                ? d
                : Path.Combine(environment("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
            return Path.Combine(directory, "config.json");
        }
    }

    /// <summary>The registry a reference lives on, keyed as Docker keys it ("127.0.0.1:5000", or Docker Hub's URL).</summary>
    public static string ServerFor(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        var domain = slash < 0 ? "docker.io" : repository[..slash];
        return domain is "docker.io" or "index.docker.io" ? DockerHubServer : domain;
    }

    /// <summary>"http://host:5000/" → "host:5000"; empty means Docker Hub.</summary>
    public static string NormalizeServer(string? server)
    {
        if (string.IsNullOrWhiteSpace(server)) return DockerHubServer;
        var text = server.Trim();
        if (text.StartsWith("http://", StringComparison.Ordinal)) text = text[7..];
        else if (text.StartsWith("https://", StringComparison.Ordinal) && !text.Contains("index.docker.io", StringComparison.Ordinal)) text = text[8..];
        text = text.TrimEnd('/');
        return text is "docker.io" or "index.docker.io" or "registry-1.docker.io" ? DockerHubServer : text;
    }

    public (string User, string Password)? Get(string server)
    {
        var root = Load();
        if (root["auths"] is not JsonObject auths || auths[server] is not JsonObject entry || entry["auth"]?.GetValue<string>() is not { Length: > 0 } auth) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Every saved login that decodes, by server as saved (what --use-api-socket hands a container).</summary>
    public Dictionary<string, (string User, string Password)> All()
    {
        var result = new Dictionary<string, (string User, string Password)>(StringComparer.Ordinal);
        if (Load()["auths"] is not JsonObject auths) return result;
        foreach (var (server, _) in auths)
        {
            if (Get(server) is { } login) result[server] = login;
        }

        return result;
    }

    public void Store(string server, string user, string password)
    {
        var root = Load();
        if (root["auths"] is not JsonObject auths) root["auths"] = auths = [];
        auths[server] = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")) };
        Save(root);
    }

    /// <summary>Returns whether there was anything to remove.</summary>
    public bool Remove(string server)
    {
        var root = Load();
        if (root["auths"] is not JsonObject auths || !auths.Remove(server)) return false;
        Save(root);
        return true;
    }

    /// <summary>The X-Registry-Auth header value for <paramref name="server"/>: base64url(JSON auth config), "e30=" ({})
    /// when nothing is saved.</summary>
    public string RegistryAuthHeader(string server)
    {
        if (Get(server) is not { } credentials) return "e30=";
        var json = new JsonObject { ["username"] = credentials.User, ["password"] = credentials.Password, ["serveraddress"] = server };
        return Base64Url(Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private JsonObject Load()
    {
        var path = ConfigPath;
        if (!File.Exists(path)) return [];
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private void Save(JsonObject root)
    {
        var path = ConfigPath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, TypeInfoResolver = Wharf.Api.ApiJsonContext.Default }) + "\n");
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: true);
    }
}
