using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Wharf.Cli.Contexts;

/// <summary>The docker CLI's context store, read and written in its own format so `docker context` and
/// `wharf context` share one list: contexts/meta/&lt;sha256(name)&gt;/meta.json, TLS files under
/// contexts/tls/&lt;sha256(name)&gt;/docker/, and the current context in config.json's "currentContext".</summary>
internal sealed partial class ContextStore(string configDirectory)
{
    public const string EndpointName = "docker";

    public static readonly IReadOnlyList<string> TlsFileNames = ["ca.pem", "cert.pem", "key.pem"];

    public string ConfigDirectory { get; } = configDirectory;

    private string MetaRoot => Path.Combine(ConfigDirectory, "contexts", "meta");

    private string TlsRoot => Path.Combine(ConfigDirectory, "contexts", "tls");

    private string ConfigFile => Path.Combine(ConfigDirectory, "config.json");

    /// <summary>--config, then $DOCKER_CONFIG, then ~/.docker — where docker looks too.</summary>
    public static ContextStore Open(string? configFlag, Func<string, string?> environment)
    {
        var dir = configFlag ?? environment("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(dir))
        {
            var home = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            dir = Path.Combine(home, ".docker");
        }

        return new ContextStore(dir);
    }

    public static string DirectoryName(string contextName) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(contextName)));

    public string MetadataPath(string name) => Path.Combine(MetaRoot, DirectoryName(name));

    public string TlsPath(string name) => Path.Combine(TlsRoot, DirectoryName(name));

    /// <summary>docker's rule for names, with its wording.</summary>
    public static void ValidateName(string name)
    {
        if (name == DockerContext.DefaultName)
        {
            throw new ContextException($"\"{name}\" is a reserved context name");
        }

        if (!NamePattern().IsMatch(name))
        {
            throw new ContextException($"context name \"{name}\" is invalid, names are validated against regexp \"^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$\"");
        }
    }

    public IReadOnlyList<DockerContext> List()
    {
        if (!Directory.Exists(MetaRoot))
        {
            return [];
        }

        var contexts = new List<DockerContext>();
        foreach (var dir in Directory.EnumerateDirectories(MetaRoot))
        {
            if (TryReadMeta(Path.Combine(dir, "meta.json")) is { } context)
            {
                contexts.Add(context);
            }
        }

        return contexts.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    public DockerContext? Find(string name) =>
        name == DockerContext.DefaultName ? null : TryReadMeta(Path.Combine(MetadataPath(name), "meta.json"));

    public DockerContext Get(string name) =>
        Find(name) ?? throw new ContextException($"context \"{name}\" does not exist");

    /// <summary>Writes meta.json and copies the TLS files (ca.pem, cert.pem, key.pem) given as name → bytes.</summary>
    public void Save(string name, string description, string host, bool skipTlsVerify, IReadOnlyDictionary<string, byte[]> tlsFiles)
    {
        var meta = new ContextMetadata
        {
            Name = name,
            Metadata = new ContextDescription { Description = description.Length == 0 ? null : description },
            Endpoints = { [EndpointName] = new ContextEndpointMetadata { Host = host, SkipTlsVerify = skipTlsVerify } },
        };
        var metaDir = MetadataPath(name);
        Directory.CreateDirectory(metaDir);
        WriteAtomically(Path.Combine(metaDir, "meta.json"), JsonSerializer.SerializeToUtf8Bytes(meta, ContextJsonContext.Default.ContextMetadata), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var tlsDir = Path.Combine(TlsPath(name), EndpointName);
        if (tlsFiles.Count > 0)
        {
            Directory.CreateDirectory(tlsDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            foreach (var (file, bytes) in tlsFiles)
            {
                WriteAtomically(Path.Combine(tlsDir, file), bytes, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
    }

    public void Remove(string name)
    {
        Get(name);
        Directory.Delete(MetadataPath(name), recursive: true);
        if (Directory.Exists(TlsPath(name)))
        {
            Directory.Delete(TlsPath(name), recursive: true);
        }
    }

    /// <summary>config.json's currentContext; null when unset (the default context).</summary>
    public string? CurrentContext
    {
        get
        {
            var config = ReadConfig();
            return config["currentContext"]?.GetValue<string>() is { Length: > 0 } name ? name : null;
        }
    }

    /// <summary>Sets (or with "default" clears) currentContext, keeping every other key of config.json.</summary>
    public void SetCurrentContext(string name)
    {
        var config = ReadConfig();
        if (name == DockerContext.DefaultName)
        {
            config.Remove("currentContext");
        }
        else
        {
            config["currentContext"] = name;
        }

        Directory.CreateDirectory(ConfigDirectory);
        WriteAtomically(ConfigFile, Encoding.UTF8.GetBytes(config.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentCharacter = '\t', IndentSize = 1 })), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private JsonObject ReadConfig()
    {
        if (!File.Exists(ConfigFile))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(ConfigFile)) as JsonObject ?? [];
        }
        catch (JsonException e)
        {
            throw new ContextException($"loading config file: {ConfigFile}: {e.Message}");
        }
    }

    private DockerContext? TryReadMeta(string metaFile)
    {
        if (!File.Exists(metaFile))
        {
            return null;
        }

        ContextMetadata? meta;
        try
        {
            meta = JsonSerializer.Deserialize(File.ReadAllBytes(metaFile), ContextJsonContext.Default.ContextMetadata);
        }
        catch (JsonException)
        {
            return null; // a broken entry must not hide the others
        }

        if (meta is null || meta.Name.Length == 0)
        {
            return null;
        }

        var endpoint = meta.Endpoints.GetValueOrDefault(EndpointName) ?? new ContextEndpointMetadata();
        var tlsDir = Path.Combine(TlsPath(meta.Name), EndpointName);
        return new DockerContext(meta.Name, meta.Metadata.Description ?? "", endpoint.Host, endpoint.SkipTlsVerify, Directory.Exists(tlsDir) ? tlsDir : null);
    }

    private static void WriteAtomically(string path, byte[] bytes, UnixFileMode mode)
    {
        var temp = path + ".tmp-" + Environment.ProcessId;
        using (var stream = new FileStream(temp, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = mode }))
        {
            stream.Write(bytes);
        }

        File.Move(temp, path, overwrite: true);
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$")]
    private static partial Regex NamePattern();
}
