using System.Text.Json;
using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Networks;

internal sealed class NetworkInspectCommand : ICommand
{
    public string Name => "network inspect";

    public string Usage => "network inspect [OPTIONS] NETWORK [NETWORK...]";

    public string Description => "Display detailed information on one or more networks";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("format", 'f', "Format output using a custom template"),
        OptionSpec.Flag("verbose", 'v', "Verbose output for diagnostics"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count == 0) throw new CliUsageException("\"wharf network inspect\" requires at least 1 argument.", 1);
        var found = new List<JsonElement>();
        var errors = new List<string>();
        foreach (var target in args.Positionals)
        {
            try { found.Add(await context.Client.Networks.InspectRawAsync(target, args.Flag("verbose"), cancellationToken).ConfigureAwait(false)); }
            catch (EngineApiException ex) when (ex.IsNotFound) { errors.Add("Error: No such network: " + target); }
        }
        return await InspectOutput.WriteAsync(context, args, found, errors).ConfigureAwait(false);
    }
}
