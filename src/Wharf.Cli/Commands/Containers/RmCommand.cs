using Wharf.Api.Client;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

internal sealed class RmCommand : ICommand
{
    public string Name => "container rm";

    public IReadOnlyList<string> Aliases { get; } = ["container remove", "rm"];

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
        return ForEachTarget.RunAsync(context, args, async target =>
        {
            try
            {
                await context.Client.Containers.RemoveAsync(target, force, args.Flag("link"), args.Flag("volumes"), cancellationToken).ConfigureAwait(false);
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
