using System.Text.Json;
using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Volumes;

internal sealed class VolumeInspectCommand : ICommand
{
    public string Name => "volume inspect";

    public string Usage => "volume inspect [OPTIONS] VOLUME [VOLUME...]";

    public string Description => "Display detailed information on one or more volumes";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("format", 'f', "Format output using a custom template"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count == 0)
        {
            throw new CliUsageException($"\"wharf {Name}\" requires at least 1 argument.", 1);
        }

        var found = new List<JsonElement>();
        var errors = new List<string>();
        foreach (var name in args.Positionals)
        {
            try
            {
                found.Add(await context.Client.Volumes.InspectRawAsync(name, cancellationToken).ConfigureAwait(false));
            }
            catch (EngineApiException ex) when (ex.IsNotFound)
            {
                errors.Add(DaemonError.Describe(ex.Message));
            }
        }

        return await InspectOutput.WriteAsync(context, args, found, errors).ConfigureAwait(false);
    }
}
