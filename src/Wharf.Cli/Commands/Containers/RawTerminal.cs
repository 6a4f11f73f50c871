using System.Diagnostics;

namespace Wharf.Cli.Commands.Containers;

/// <summary>Puts our terminal in raw mode (no line buffering, no echo, Ctrl-C as a byte for the container's pty)
/// for an interactive TTY session and restores the saved settings on Dispose. The CLI may not P/Invoke, so
/// this runs `stty` on the inherited terminal, as shell scripts do.</summary>
internal sealed class RawTerminal : IDisposable
{
    private readonly string _saved;
    private int _restored;

    private RawTerminal(string saved) => _saved = saved;

    /// <summary>Null when stdin is not a terminal (or stty is unavailable): nothing to change, nothing to restore.</summary>
    public static RawTerminal? Enter(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.StdinIsTerminal) return null;
        // .NET configures the terminal its own way (no echo, no canonical mode, but signals on) the first time the
        // console is initialized; make that happen now, BEFORE going raw, or it would undo raw mode later.
        try
        {
            _ = Console.WindowWidth;
        }
        catch (IOException)
        {
            // no terminal on stdout: .NET will not touch the terminal later either
        }

        var saved = Stty("-g");
        if (string.IsNullOrWhiteSpace(saved)) return null;
        var terminal = new RawTerminal(saved.Trim());
        Stty("raw", "-echo");
        // Whatever ends the process, the user must get a usable terminal back.
        AppDomain.CurrentDomain.ProcessExit += terminal.OnExit;
        return terminal;
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnExit;
        Restore();
    }

    private void OnExit(object? sender, EventArgs e) => Restore();

    private void Restore()
    {
        if (Interlocked.Exchange(ref _restored, 1) == 0) Stty(_saved);
    }

    private static string? Stty(params string[] args)
    {
        // All three std streams redirected and the terminal named with -F: .NET then treats stty as a child that
        // does not use the terminal, and does not put its own terminal settings back when stty exits (it does
        // for children sharing the terminal, which would undo "raw" at once).
        var info = new ProcessStartInfo("stty") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-F");
        info.ArgumentList.Add("/dev/tty");
        foreach (var a in args) info.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(info);
            if (process is null) return null;
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (global::System.ComponentModel.Win32Exception)
        {
            return null; // no stty: stay in cooked mode rather than fail the session
        }
    }
}
