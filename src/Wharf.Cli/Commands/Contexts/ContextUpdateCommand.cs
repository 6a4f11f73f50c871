using Wharf.Cli.Contexts;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Contexts;

/// <summary>`context update NAME [--description D] [--docker host=...,ca=...]`: only the keys given change; the
/// endpoint's other settings and TLS files are kept, as docker does.</summary>
internal sealed class ContextUpdateCommand : ICommand
{
    public string Name => "context update";

    public string Usage => "context update [OPTIONS] CONTEXT";

    public string Description => "Update a context";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("description", null, "Description of the context"),
        OptionSpec.Value("docker", null, "set the docker endpoint", "stringToString", "[]"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 1)
        {
            throw new CliUsageException("\"wharf context update\" requires exactly 1 argument.", 1);
        }

        var name = args.Positionals[0];
        if (name == DockerContext.DefaultName)
        {
            throw new ContextException("context \"default\" cannot be updated: it is -H, WHARF_HOST/DOCKER_HOST or the default socket; create a named context with 'wharf context create'");
        }

        var store = context.Resolver!.Store;
        var existing = store.Get(name);
        var files = existing.TlsFiles.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(existing.TlsDirectory!, f)), StringComparer.Ordinal);
        var host = existing.Host;
        var skipVerify = existing.SkipTlsVerify;
        if (args.Value("docker") is { } docker)
        {
            var keys = docker.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => p.Split('=')[0]).ToHashSet(StringComparer.Ordinal);
            var (newHost, newSkipVerify, newFiles) = ContextCreateCommand.ParseDockerEndpoint(docker);
            host = keys.Contains("host") ? newHost : host;
            skipVerify = keys.Contains("skip-tls-verify") ? newSkipVerify : skipVerify;
            foreach (var (file, bytes) in newFiles)
            {
                files[file] = bytes;
            }
        }

        store.Save(name, args.Value("description") ?? existing.Description, host, skipVerify, files);
        await context.Out.WriteLineAsync(name).ConfigureAwait(false);
        await context.Err.WriteLineAsync($"Successfully updated context \"{name}\"").ConfigureAwait(false);
        return 0;
    }
}
