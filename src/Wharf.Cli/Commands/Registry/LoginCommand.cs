using System.Text;
using System.Text.Json;
using Wharf.Api.Client;
using Wharf.Cli.Parsing;
using Wharf.Cli.Registry;

namespace Wharf.Cli.Commands.Registry;

/// <summary>wharf login [SERVER]: the daemon checks the credentials against the registry (POST /auth); on success
/// they are saved in config.json like docker saves them.</summary>
internal sealed class LoginCommand : ICommand
{
    public string Name => "login";

    public string Usage => "login [OPTIONS] [SERVER]";

    public string Description => "Authenticate to a registry";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("username", 'u', "Username"),
        OptionSpec.Value("password", 'p', "Password or Personal Access Token (PAT)"),
        OptionSpec.Flag("password-stdin", null, "Take the Password or Personal Access Token (PAT) from stdin"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count > 1) throw new CliUsageException("\"wharf login\" requires at most 1 argument.", 1);
        var server = DockerConfigAuth.NormalizeServer(args.Positionals.Count == 1 ? args.Positionals[0] : null);
        var user = args.Value("username");
        var password = args.Value("password");
        if (args.Flag("password-stdin"))
        {
            if (password is not null) throw new CliUsageException("--password and --password-stdin are mutually exclusive", 1);
            using var reader = new StreamReader(context.OpenStdin());
            password = (await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).TrimEnd('\r', '\n');
        }
        var auth = new DockerConfigAuth(context.Environment);
        if (user is null && auth.Get(server) is { } saved) (user, password) = (saved.User, password ?? saved.Password);
        if (string.IsNullOrEmpty(user)) throw new CliUsageException("Error: Cannot perform an interactive login from a non TTY device", 1);
        if (string.IsNullOrEmpty(password)) throw new CliUsageException("Error: Password Required", 1);

        await context.Client.System.AuthAsync(user, password, server, cancellationToken).ConfigureAwait(false);
        auth.Store(server, user, password);
        await context.Out.WriteLineAsync("Login Succeeded").ConfigureAwait(false);
        return 0;
    }
}
