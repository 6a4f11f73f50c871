using Wharf.Api.Client;
using Wharf.Api.Volumes;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Volumes;

internal sealed class VolumeCreateCommand : ICommand
{
    public string Name => "volume create";

    public string Usage => "volume create [OPTIONS] [VOLUME]";

    public string Description => "Create a volume";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("driver", 'd', "Specify volume driver name", "string", "local"),
        OptionSpec.Value("label", null, "Set metadata for a volume", "list"),
        OptionSpec.Value("opt", 'o', "Set driver specific options", "map", "map[]"),
        OptionSpec.Value("name", null, "Specify volume name"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var name = args.Positionals.Count > 0 ? args.Positionals[0] : args.Value("name");
        var request = new VolumeCreateRequest
        {
            Name = name ?? "",
            Driver = args.Value("driver") ?? "local",
            DriverOpts = Pairs(args.Values("opt")),
            Labels = Pairs(args.Values("label")),
        };
        var volume = await context.Client.Volumes.CreateAsync(request, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync(volume.Name).ConfigureAwait(false);
        return 0;
    }

    internal static Dictionary<string, string> Pairs(IEnumerable<string> values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var eq = value.IndexOf('=', StringComparison.Ordinal);
            result[eq < 0 ? value : value[..eq]] = eq < 0 ? "" : value[(eq + 1)..];
        }

        return result;
    }
}
