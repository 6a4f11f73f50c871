using Wharf.Api.Client;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands;

internal sealed class RmCommand : ICommand
{
    public string Name => "rm";

    public string Usage => "rm [OPTIONS] CONTAINER [CONTAINER...]";

    public string Description => "Remove one or more containers";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("force", 'f', "Force the removal of a running container (uses SIGKILL)"),
        OptionSpec.Flag("volumes", 'v', "Remove anonymous volumes associated with the container"),
        OptionSpec.Flag("link", 'l', "Remove the specified link"),
    ];

    public Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var force = args.Flag("force");
        var query = EngineClient.Query(("force", force ? "1" : null), ("link", args.Flag("link") ? "1" : null), ("v", args.Flag("volumes") ? "1" : null));
        return ForEachTarget.RunAsync(context, args, Name, async target =>
        {
            try
            {
                await context.Client.DeleteAsync($"containers/{target}{query}", cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (EngineApiException ex) when (force && ex.IsNotFound)
            {
                // docker rm -f treats a missing container as already removed (and prints nothing).
                return false;
            }
        });
    }
}
