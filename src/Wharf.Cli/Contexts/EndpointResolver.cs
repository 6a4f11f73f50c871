using Wharf.Api.Client;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Contexts;

/// <summary>Decides which daemon a command talks to, in the docker CLI's order: -H, else --context, else
/// $WHARF_HOST/$DOCKER_HOST (the default context), else $WHARF_CONTEXT/$DOCKER_CONTEXT, else config.json's
/// currentContext, else the default socket. TLS comes from the context's material or from --tls* flags and
/// $DOCKER_TLS_VERIFY/$DOCKER_CERT_PATH.</summary>
internal sealed class EndpointResolver(ContextStore store, Func<string, string?> environment)
{
    public ContextStore Store { get; } = store;

    /// <summary>The context name in effect ("default" when none).</summary>
    public string CurrentName(ParsedArgs global)
    {
        if (global.Value("context") is { Length: > 0 } flag)
        {
            if (global.Value("host") is not null)
            {
                throw new ContextException("conflicting options: either specify --host or --context, not both");
            }

            return flag;
        }

        if (global.Value("host") is not null || HostFromEnvironment() is not null)
        {
            return DockerContext.DefaultName;
        }

        return environment("WHARF_CONTEXT") is { Length: > 0 } wharf ? wharf
            : environment("DOCKER_CONTEXT") is { Length: > 0 } docker ? docker
            : Store.CurrentContext ?? DockerContext.DefaultName;
    }

    public DockerEndpoint Resolve(ParsedArgs global) =>
        ResolveContext(CurrentName(global), global);

    /// <summary>The endpoint of a named context ("default": -H / environment / the default socket).</summary>
    public DockerEndpoint ResolveContext(string name, ParsedArgs global)
    {
        if (name == DockerContext.DefaultName)
        {
            var host = global.Value("host") ?? HostFromEnvironment() ?? DockerEndpoint.DefaultAddress;
            return WithFlagTls(DockerEndpoint.Parse(host), global);
        }

        var context = Store.Get(name);
        var endpoint = DockerEndpoint.Parse(context.Host);
        if (context.HasTlsMaterial)
        {
            var dir = context.TlsDirectory!;
            return endpoint with
            {
                Tls = new TlsClientOptions(Path.Combine(dir, "ca.pem"), Path.Combine(dir, "cert.pem"), Path.Combine(dir, "key.pem"), !context.SkipTlsVerify),
            };
        }

        return WithFlagTls(endpoint, global);
    }

    /// <summary>The default context's host for `context ls`.</summary>
    public string DefaultHost => HostFromEnvironment() ?? DockerEndpoint.DefaultAddress;

    private string? HostFromEnvironment() =>
        environment("WHARF_HOST") is { Length: > 0 } wharf ? wharf
        : environment("DOCKER_HOST") is { Length: > 0 } docker ? docker
        : null;

    private DockerEndpoint WithFlagTls(DockerEndpoint endpoint, ParsedArgs global)
    {
        var verify = global.Flag("tlsverify") || environment("DOCKER_TLS_VERIFY") is { Length: > 0 };
        var tls = verify || global.Flag("tls") || environment("DOCKER_TLS") is { Length: > 0 };
        if (!tls || endpoint.Kind != EndpointKind.Tcp)
        {
            return endpoint;
        }

        var certDir = environment("DOCKER_CERT_PATH") is { Length: > 0 } d ? d : Store.ConfigDirectory;
        return endpoint with
        {
            Tls = new TlsClientOptions(
                global.Value("tlscacert") ?? Path.Combine(certDir, "ca.pem"),
                global.Value("tlscert") ?? Path.Combine(certDir, "cert.pem"),
                global.Value("tlskey") ?? Path.Combine(certDir, "key.pem"),
                verify),
        };
    }
}
