using System.Diagnostics;

namespace Wharf.Linux;

/// <summary>Thin wrapper over the runc binary for the questions the daemon asks it directly.</summary>
public sealed class RuncCli
{
    public RuncCli(string runtimePath = "runc") => RuntimePath = runtimePath;

    public string RuntimePath { get; }

    /// <summary>The version and commit `runc --version` reports, from one run of it.</summary>
    public async Task<RuncVersion> VersionAsync(CancellationToken cancellationToken = default)
    {
        var output = await RunAsync(["--version"], cancellationToken).ConfigureAwait(false);
        return new RuncVersion(ParseVersion(output), ParseCommit(output));
    }

    /// <summary>The "commit: ..." line of `runc --version`, or "" when absent.</summary>
    public static string ParseCommit(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("commit:", StringComparison.Ordinal))
                return line["commit:".Length..].Trim();
        }
        return "";
    }

    /// <summary>The version from the first line of `runc --version` ("runc version 1.1.5+ds1" -> "1.1.5+ds1").</summary>
    public static string ParseVersion(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var first = output.Split('\n', 2)[0].Trim();
        const string Prefix = "runc version ";
        return first.StartsWith(Prefix, StringComparison.Ordinal) ? first[Prefix.Length..].Trim() : first;
    }

    private async Task<string> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(RuntimePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {RuntimePath}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var text = await stdout.ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{RuntimePath} {string.Join(' ', args)}: exit {process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()}");
        return text;
    }
}
