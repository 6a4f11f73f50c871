using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Networks;

internal sealed class NetworkRmCommand : ICommand
{
    public string Name => "network rm";

    public IReadOnlyList<string> Aliases { get; } = ["network remove"];

    public string Usage => "network rm NETWORK [NETWORK...]";

    public string Description => "Remove one or more networks";

    public IReadOnlyList<OptionSpec> Options { get; } = [OptionSpec.Flag("force", 'f', "Do not error if the network does not exist")];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count == 0) throw new CliUsageException("\"wharf network rm\" requires at least 1 argument.", 1);
        var failed = false;
        foreach (var target in args.Positionals)
        {
            try
            {
                await context.Client.Networks.RemoveAsync(target, cancellationToken).ConfigureAwait(false);
                await context.Out.WriteLineAsync(target).ConfigureAwait(false);
            }
            catch (EngineApiException ex) when (!(ex.IsNotFound && args.Flag("force")))
            {
                await context.Err.WriteLineAsync(DaemonError.Describe(ex.Message)).ConfigureAwait(false);
                failed = true;
            }
            catch (EngineApiException)
            {
                // -f: a missing network is not an error.
            }
        }
        return failed ? 1 : 0;
    }
}
