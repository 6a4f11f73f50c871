namespace Wharf.Cli.Commands;

/// <summary>The image-store verbs (diff, export, commit, save, load, history, image prune, system df), registered in
/// CliApp as one group so the list there stays a one-line change.</summary>
internal static class ImageStoreCommands
{
    public static IReadOnlyList<ICommand> All { get; } =
    [
        new DiffCommand(), new ExportCommand(), new CommitCommand(), new SaveCommand(), new LoadCommand(),
        new HistoryCommand(), new ImagePruneCommand(), new SystemDfCommand(),
    ];

    /// <summary>Management-command spellings ("image save") of the verbs above.</summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["container diff"] = "diff", ["container export"] = "export", ["container commit"] = "commit",
        ["image save"] = "save", ["image load"] = "load", ["image history"] = "history",
    };

    /// <summary>Writes a binary response to -o FILE, or to stdout unless that is a terminal (Docker's rule).</summary>
    public static async Task<int> WriteArchiveAsync(CliContext context, Stream body, string? outputPath, CancellationToken cancellationToken)
    {
        if (outputPath is null)
        {
            if (!Console.IsOutputRedirected)
            {
                await context.Err.WriteLineAsync("cowardly refusing to save to a terminal. Use the -o flag or redirect").ConfigureAwait(false);
                return 1;
            }
            var stdout = context.OpenStdout();
            await using (stdout.ConfigureAwait(false))
            {
                await body.CopyToAsync(stdout, cancellationToken).ConfigureAwait(false);
            }
            return 0;
        }
        // Written beside the target and renamed, so a failed transfer leaves no half archive under the name.
        var temp = outputPath + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var file = File.Create(temp);
            await using (file.ConfigureAwait(false))
            {
                await body.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }
            File.Move(temp, outputPath, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
        return 0;
    }
}
