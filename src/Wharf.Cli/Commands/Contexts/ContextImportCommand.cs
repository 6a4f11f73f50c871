using Wharf.Cli.Contexts;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Contexts;

internal sealed class ContextImportCommand : ICommand
{
    public string Name => "context import";

    public string Usage => "context import CONTEXT FILE|-";

    public string Description => "Import a context from a tar file";

    public IReadOnlyList<OptionSpec> Options { get; } = [];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 2)
        {
            throw new CliUsageException("\"wharf context import\" requires exactly 2 arguments.", 1);
        }

        var (name, file) = (args.Positionals[0], args.Positionals[1]);
        var input = file == "-" ? context.OpenStdin() : File.OpenRead(file);
        await using (input.ConfigureAwait(false))
        {
            ContextArchive.Import(context.Resolver!.Store, name, input);
        }

        await context.Out.WriteLineAsync(name).ConfigureAwait(false);
        await context.Err.WriteLineAsync($"Successfully imported context \"{name}\"").ConfigureAwait(false);
        return 0;
    }
}
