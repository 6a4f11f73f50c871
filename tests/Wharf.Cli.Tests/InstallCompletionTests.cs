using System.Diagnostics;

namespace Wharf.Cli.Tests;

/// <summary>install.sh's bash-completion block, run as install.sh runs it (bash, set -euo pipefail) but against a temp
/// directory and a stand-in wharf that prints the real generated script: the file lands where bash-completion loads it
/// from, under the command's name, the package that loads it is asked for, and the installed file completes.</summary>
public sealed class InstallCompletionTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("wharf-install-completion-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "install.sh")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("install.sh not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The lines between install.sh's "# >>> bash completion" and "# <<< bash completion" markers.</summary>
    private static string CompletionBlock()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoRoot(), "install.sh"));
        var start = Array.FindIndex(lines, l => l.StartsWith("# >>> bash completion", StringComparison.Ordinal));
        var end = Array.FindIndex(lines, l => l.StartsWith("# <<< bash completion", StringComparison.Ordinal));
        Assert.True(start >= 0 && end > start, "install.sh lost its bash completion markers");
        return string.Join('\n', lines[(start + 1)..end]);
    }

    private async Task<(int Code, string Out, string Err)> BashAsync(string script)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = _dir.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PATH"] = _dir.FullName + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["WHARF_BASH_COMPLETION_DIR"] = Path.Combine(_dir.FullName, "completions");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task InstallBlock_WritesTheGeneratedScript_WhereBashCompletionLoadsIt_AndItCompletes()
    {
        var generated = (await CliRun.Async(null, ["completion", "bash"])).Out;
        await File.WriteAllTextAsync(Path.Combine(_dir.FullName, "generated.bash"), generated);
        var fake = Path.Combine(_dir.FullName, "wharf");
        // The stand-in prints the real script for `completion bash` and answers the daemon-name queries while completing.
        await File.WriteAllTextAsync(fake, $"#!/bin/sh\ncase \"$*\" in\n  'completion bash') cat '{_dir.FullName}/generated.bash' ;;\n  *ps*) echo web-1 ;;\n  *) exit 1 ;;\nesac\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var install = await BashAsync("set -euo pipefail\nwharf_apt_install() { printf '%s\\n' \"$*\" >>apt.txt; }\n"
            + $"bin_dir='{_dir.FullName}'\n" + CompletionBlock() + "\n");

        Assert.True(install.Code == 0, install.Err);
        var installed = Path.Combine(_dir.FullName, "completions", "wharf");
        Assert.Equal(generated, await File.ReadAllTextAsync(installed));
        Assert.Equal("bash-completion\n", await File.ReadAllTextAsync(Path.Combine(_dir.FullName, "apt.txt")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir.FullName, "completions"), ".*")); // no temp file left behind

        var complete = await BashAsync($"source '{installed}'\nCOMP_WORDS=(wharf stop '')\nCOMP_CWORD=2\n_wharf\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n"
            + "COMP_WORDS=(wharf ps --no-t)\nCOMP_CWORD=2\n_wharf\nprintf '%s\\n' \"${COMPREPLY[@]}\"\ncomplete -p wharf\n");

        Assert.True(complete.Code == 0, complete.Err);
        Assert.Equal(["web-1", "--no-trunc", "complete -F _wharf wharf"], complete.Out.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task InstallBlock_WharfFailing_FailsTheInstall_AndKeepsTheOldCompletion()
    {
        var fake = Path.Combine(_dir.FullName, "wharf");
        await File.WriteAllTextAsync(fake, "#!/bin/sh\necho broken >&2\nexit 3\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "completions"));
        await File.WriteAllTextAsync(Path.Combine(_dir.FullName, "completions", "wharf"), "# the previous install's script\n");

        var install = await BashAsync("set -euo pipefail\nwharf_apt_install() { :; }\n" + $"bin_dir='{_dir.FullName}'\n" + CompletionBlock() + "\n");

        Assert.NotEqual(0, install.Code);
        Assert.Equal("# the previous install's script\n", await File.ReadAllTextAsync(Path.Combine(_dir.FullName, "completions", "wharf")));
    }
}
