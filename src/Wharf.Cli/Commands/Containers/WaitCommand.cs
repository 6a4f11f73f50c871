using System.Globalization;
using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

internal sealed class WaitCommand : ICommand
{
    public string Name => "container wait";

    public IReadOnlyList<string> Aliases { get; } = ["wait"];

    public string Usage => "wait CONTAINER [CONTAINER...]";

    public string Description => "Block until one or more containers stop, then print their exit codes";

    public IReadOnlyList<OptionSpec> Options { get; } = [];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count == 0)
        {
            throw new CliUsageException("\"wharf wait\" requires at least 1 argument.", 1);
        }

        var failed = false;
        foreach (var target in args.Positionals)
        {
            try
            {
                var result = await context.Client.Containers.WaitAsync(target, cancellationToken).ConfigureAwait(false);
                await context.Out.WriteLineAsync(result.StatusCode.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            }
            catch (EngineApiException ex)
            {
                failed = true;
                await context.Err.WriteLineAsync(DaemonError.Describe(ex.Message)).ConfigureAwait(false);
            }
        }

        return failed ? 1 : 0;
    }
}
