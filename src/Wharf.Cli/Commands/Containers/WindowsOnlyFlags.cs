using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

/// <summary>--cpu-count, --cpu-percent, --io-maxbandwidth and --io-maxiops: the docker CLI accepts them only against a
/// Windows daemon (its "ostype" flag annotation, checked against /_ping's Ostype) and refuses them otherwise with these
/// words and exit status 1, before anything is created. The daemon is asked only when one of them is given.</summary>
internal static class WindowsOnlyFlags
{
    public static readonly IReadOnlyList<string> Names = ["cpu-count", "cpu-percent", "io-maxbandwidth", "io-maxiops"];

    /// <summary>Docker's refusal for the first such flag given, or null when none is given or the daemon runs Windows.</summary>
    public static async Task<string?> RefusalAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(args);
        var given = Names.FirstOrDefault(args.Has);
        if (given is null)
        {
            return null;
        }

        var osType = await context.Client.PingOsTypeAsync(cancellationToken).ConfigureAwait(false) ?? "linux";
        return osType.Equals("windows", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"\"--{given}\" is only supported on a Docker daemon running on windows, but the Docker daemon is running on {osType}";
    }
}
