using Wharf.Api;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

internal sealed class StartCommand : ICommand
{
    public string Name => "container start";

    public IReadOnlyList<string> Aliases { get; } = ["start"];

    public string Usage => "start [OPTIONS] CONTAINER [CONTAINER...]";

    public string Description => "Start one or more stopped containers";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("attach", 'a', "Attach STDOUT/STDERR and forward signals"),
        OptionSpec.Flag("interactive", 'i', "Attach container's STDIN"),
        OptionSpec.Value("detach-keys", null, "Override the key sequence for detaching a container"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var attach = args.Flag("attach");
        var interactive = args.Flag("interactive");
        if (attach || interactive)
        {
            if (args.Positionals.Count != 1)
            {
                throw new CliUsageException("you cannot start and attach multiple containers at once", 1);
            }

            var inspect = await context.Client.Containers.InspectAsync(args.Positionals[0], cancellationToken).ConfigureAwait(false);
            var stdin = interactive && inspect.Config.OpenStdin;
            return await RunCommand.RunAttachedAsync(
                context, inspect.Id, stdin, true, true, inspect.Config.Tty, inspect.HostConfig.AutoRemove, true, cancellationToken, args.Value("detach-keys")).ConfigureAwait(false);
        }

        return await ForEachTarget.RunAsync(context, args, async target =>
        {
            // 304 (already running) is success for docker too.
            await context.Client.Containers.StartAsync(target, cancellationToken).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }
}
