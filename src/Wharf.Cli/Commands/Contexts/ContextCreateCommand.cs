using Wharf.Api.Client;
using Wharf.Cli.Contexts;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Contexts;

/// <summary>`context create NAME --docker host=...,ca=...,cert=...,key=...,skip-tls-verify=...`: the TLS files are
/// copied into the store, as docker does, so the context keeps working when the originals move.</summary>
internal sealed class ContextCreateCommand : ICommand
{
    public string Name => "context create";

    public string Usage => "context create [OPTIONS] CONTEXT";

    public string Description => "Create a context";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("description", null, "Description of the context"),
        OptionSpec.Value("docker", null, "set the docker endpoint (host=,ca=,cert=,key=,skip-tls-verify=)", "stringToString", "[]"),
        OptionSpec.Value("from", null, "create context from a named context"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 1)
        {
            throw new CliUsageException("\"wharf context create\" requires exactly 1 argument.", 1);
        }

        var store = context.Resolver!.Store;
        var name = args.Positionals[0];
        ContextStore.ValidateName(name);
        if (store.Find(name) is not null)
        {
            throw new ContextException($"context \"{name}\" already exists");
        }

        var (host, skipVerify, tlsFiles) = args.Value("docker") is { } docker
            ? ParseDockerEndpoint(docker)
            : FromExisting(context, args.Value("from") ?? context.ContextName);
        store.Save(name, args.Value("description") ?? "", host, skipVerify, tlsFiles);
        await context.Out.WriteLineAsync(name).ConfigureAwait(false);
        await context.Err.WriteLineAsync($"Successfully created context \"{name}\"").ConfigureAwait(false);
        return 0;
    }

    /// <summary>"host=tcp://h:2376,ca=~/ca.pem,cert=...,key=...,skip-tls-verify=true" (docker's --docker syntax).</summary>
    internal static (string Host, bool SkipVerify, Dictionary<string, byte[]> TlsFiles) ParseDockerEndpoint(string spec)
    {
        var host = DockerEndpoint.DefaultAddress;
        var skipVerify = false;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ContextException($"unable to create docker endpoint config: invalid value \"{part}\": expected key=value");
            }

            var (key, value) = (part[..eq], part[(eq + 1)..]);
            switch (key)
            {
                case "host":
                    DockerEndpoint.Parse(value); // fails early with docker's "Invalid bind address format"
                    host = value;
                    break;
                case "ca" or "cert" or "key":
                    files[key + ".pem"] = ReadTlsFile(ExpandHome(value));
                    break;
                case "skip-tls-verify":
                    skipVerify = value is "true" or "1";
                    break;
                default:
                    throw new ContextException($"unable to create docker endpoint config: unrecognized config key: {key}");
            }
        }

        if (files.ContainsKey("cert.pem") != files.ContainsKey("key.pem"))
        {
            throw new ContextException("unable to create docker endpoint config: cert and key must be given together");
        }

        return (host, skipVerify, files);
    }

    private static (string Host, bool SkipVerify, Dictionary<string, byte[]> TlsFiles) FromExisting(CliContext context, string name)
    {
        if (name == DockerContext.DefaultName)
        {
            return (context.Resolver!.DefaultHost, false, []);
        }

        var source = context.Resolver!.Store.Get(name);
        var files = source.TlsFiles.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(source.TlsDirectory!, f)), StringComparer.Ordinal);
        return (source.Host, source.SkipTlsVerify, files);
    }

    private static byte[] ReadTlsFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ContextException($"unable to create docker endpoint config: open {path}: no such file or directory");
        }
    }

    private static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;
}
