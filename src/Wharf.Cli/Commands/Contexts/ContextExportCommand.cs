using Wharf.Cli.Contexts;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Contexts;

internal sealed class ContextExportCommand : ICommand
{
    public string Name => "context export";

    public string Usage => "context export [OPTIONS] CONTEXT [FILE|-]";

    public string Description => "Export a context to a tar archive FILE or a tar stream on STDOUT.";

    public IReadOnlyList<OptionSpec> Options { get; } = [];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count is < 1 or > 2)
        {
            throw new CliUsageException("\"wharf context export\" requires at least 1 and at most 2 arguments.", 1);
        }

        var name = args.Positionals[0];
        var store = context.Resolver!.Store;
        if (name == DockerContext.DefaultName)
        {
            throw new ContextException("context \"default\" cannot be exported");
        }

        var found = store.Get(name);
        var file = args.Positionals.Count == 2 ? args.Positionals[1] : name + ".dockercontext";
        if (file == "-")
        {
            var stdout = context.OpenStdout();
            await using (stdout.ConfigureAwait(false))
            {
                ContextArchive.Write(store, found, stdout);
                await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }

        using (var output = new FileStream(file, FileMode.CreateNew, FileAccess.Write))
        {
            ContextArchive.Write(store, found, output);
        }

        await context.Err.WriteLineAsync($"Written file \"{file}\"").ConfigureAwait(false);
        return 0;
    }
}
