using Wharf.Cli.Output;

namespace Wharf.Cli.Commands;

/// <summary>Where save and export write their tar: -o FILE, or stdout unless that is a terminal (docker's rule). On a
/// terminal stderr a byte counter runs while the archive is written and is cleared at the end, so the output stays
/// docker's (nothing) once done.</summary>
internal static class ArchiveOutput
{
    public static async Task<int> WriteAsync(CliContext context, Stream body, string? outputPath, CancellationToken cancellationToken,
        ProgressMode mode = ProgressMode.Auto)
    {
        ArgumentNullException.ThrowIfNull(context);
        var meter = TransferMeter.For(context, mode, "Writing archive - ");
        try
        {
            return await CopyAsync(context, new MeteredStream(body, meter), outputPath, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await meter.FinishAsync(null).ConfigureAwait(false);
        }
    }

    private static async Task<int> CopyAsync(CliContext context, Stream body, string? outputPath, CancellationToken cancellationToken)
    {
        if (outputPath is null)
        {
            if (context.OutIsTerminal)
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
