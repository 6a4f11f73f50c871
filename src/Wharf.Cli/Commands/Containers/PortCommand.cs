using System.Text.Json;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

/// <summary>wharf port CONTAINER [PRIVATE_PORT[/PROTO]]: the published host addresses, from inspect's NetworkSettings.Ports.</summary>
internal sealed class PortCommand : ICommand
{
    public string Name => "container port";

    public IReadOnlyList<string> Aliases { get; } = ["port"];

    public string Usage => "port CONTAINER [PRIVATE_PORT[/PROTO]]";

    public string Description => "List port mappings or a specific mapping for the container";

    public IReadOnlyList<OptionSpec> Options { get; } = [];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count is < 1 or > 2) throw new CliUsageException("\"wharf port\" requires at least 1 and at most 2 arguments.", 1);
        var inspect = await context.Client.Containers.InspectRawAsync(args.Positionals[0], cancellationToken: cancellationToken).ConfigureAwait(false);
        var wanted = args.Positionals.Count == 2 ? (args.Positionals[1].Contains('/', StringComparison.Ordinal) ? args.Positionals[1] : args.Positionals[1] + "/tcp") : null;
        var any = false;
        if (inspect.GetProperty("NetworkSettings").TryGetProperty("Ports", out var ports) && ports.ValueKind == JsonValueKind.Object)
        {
            foreach (var port in ports.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                if (wanted is not null && port.Name != wanted) continue;
                if (port.Value.ValueKind != JsonValueKind.Array) continue;
                foreach (var binding in port.Value.EnumerateArray())
                {
                    var address = $"{binding.GetProperty("HostIp").GetString()}:{binding.GetProperty("HostPort").GetString()}";
                    await context.Out.WriteLineAsync(wanted is null ? $"{port.Name} -> {address}" : address).ConfigureAwait(false);
                    any = true;
                }
            }
        }
        if (wanted is not null && !any)
        {
            await context.Err.WriteLineAsync($"Error: No public port '{wanted}' published for {args.Positionals[0]}").ConfigureAwait(false);
            return 1;
        }
        return 0;
    }
}
