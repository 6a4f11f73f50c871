using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands;

/// <summary>docker's multi-target verbs (stop a b c): act on each, print it on success, report failures, exit 1 if any failed.</summary>
internal static class ForEachTarget
{
    public static async Task<int> RunAsync(CliContext context, ParsedArgs args, Func<string, Task<bool>> action)
    {
        if (args.Positionals.Count == 0)
        {
            throw new CliUsageException($"\"wharf {context.CommandPath}\" requires at least 1 argument.", 1);
        }

        var failed = false;
        foreach (var target in args.Positionals)
        {
            try
            {
                if (await action(target).ConfigureAwait(false))
                {
                    await context.Out.WriteLineAsync(target).ConfigureAwait(false);
                }
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
