using Wharf.Cli.Parsing;
using Wharf.Cli.Registry;

namespace Wharf.Cli.Commands.Registry;

/// <summary>wharf logout [SERVER]: forgets the saved credentials.</summary>
internal sealed class LogoutCommand : ICommand
{
    public string Name => "logout";

    public string Usage => "logout [SERVER]";

    public string Description => "Log out from a registry";

    public IReadOnlyList<OptionSpec> Options { get; } = [];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count > 1) throw new CliUsageException("\"wharf logout\" requires at most 1 argument.", 1);
        var server = DockerConfigAuth.NormalizeServer(args.Positionals.Count == 1 ? args.Positionals[0] : null);
        var auth = new DockerConfigAuth(context.Environment);
        if (!auth.Remove(server))
        {
            await context.Out.WriteLineAsync($"Not logged in to {server}").ConfigureAwait(false);
            return 0;
        }
        await context.Out.WriteLineAsync($"Removing login credentials for {server}").ConfigureAwait(false);
        return 0;
    }
}
