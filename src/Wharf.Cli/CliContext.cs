using Wharf.Api.Client;
using Wharf.Cli.Contexts;
using Wharf.Cli.Parsing;

namespace Wharf.Cli;

/// <summary>Everything a command needs from the outside world, so tests can substitute it.</summary>
internal sealed class CliContext : IDisposable
{
    private readonly Lazy<EngineClient> _client;

    public CliContext(DockerEndpoint endpoint, TextWriter output, TextWriter error, TimeProvider time, Func<string, string?> environment)
    {
        Endpoint = endpoint;
        Out = output;
        Err = error;
        Time = time;
        Environment = environment;
        _client = new Lazy<EngineClient>(() => new EngineClient(endpoint, environment("DOCKER_API_VERSION") ?? EngineClient.DefaultApiVersion));
    }

    public DockerEndpoint Endpoint { get; }

    public EngineClient Client => _client.Value;

    public TextWriter Out { get; }

    public TextWriter Err { get; }

    public TimeProvider Time { get; }

    public Func<string, string?> Environment { get; }

    public Func<Stream> OpenStdin { get; init; } = Console.OpenStandardInput;

    public Func<Stream> OpenStdout { get; init; } = Console.OpenStandardOutput;

    public Func<Stream> OpenStderr { get; init; } = Console.OpenStandardError;

    public bool StdinIsTerminal { get; init; } = !Console.IsInputRedirected;

    /// <summary>Our stdout is a terminal: progress is drawn as bars rewritten in place instead of plain lines.</summary>
    public bool OutIsTerminal { get; init; }

    /// <summary>Our stderr is a terminal: cp and save draw their byte counters there.</summary>
    public bool ErrIsTerminal { get; init; }

    /// <summary>The terminal's columns (0 when unknown): docker draws progress bars only on terminals wider than 110.</summary>
    public int TerminalWidth { get; init; }

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>The context store and the rules that turn a context name into an endpoint (for commands that
    /// manage contexts or talk to several daemons).</summary>
    public EndpointResolver? Resolver { get; init; }

    /// <summary>The global flags as given (-H, --context, --tls...).</summary>
    public ParsedArgs Global { get; init; } = new();

    /// <summary>The command as the user spelled it ("ps", "container ls"), for docker's messages that name it.</summary>
    public string CommandPath { get; init; } = "";

    /// <summary>The context this invocation talks to ("default" when none is selected).</summary>
    public string ContextName { get; init; } = DockerContext.DefaultName;

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }
}
