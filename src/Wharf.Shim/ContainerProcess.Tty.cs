using Microsoft.Win32.SafeHandles;
using Wharf.Core.Shim;
using Wharf.Linux.Terminals;

namespace Wharf.Shim;

/// <summary>The container's pseudo-terminal (Tty): runc creates it and hands us the master through the console
/// socket; its output goes to the log and attachers as stdout, attached stdin is written to it, resize is an
/// ioctl on it. The master is closed only when the shim is done, so a late stdin write never hits a reused fd.</summary>
internal sealed partial class ContainerProcess
{
    private SafeFileHandle? _ptyMaster;

    public bool IsTty => _options.Tty;

    /// <summary>Sets the terminal's window size; the container's foreground process gets SIGWINCH.</summary>
    public ShimResponse Resize(int height, int width)
    {
        var master = _ptyMaster;
        if (master is null)
            return Fail(_options.Tty ? "container is not running" : "the container has no tty");
        try
        {
            PtySize.Set(master, height, width);
            return new ShimResponse { Ok = true };
        }
        catch (IOException e)
        {
            return Fail(e.Message);
        }
    }

    private ConsoleSocket? OpenConsoleSocket() => _options.Tty ? ConsoleSocket.Listen() : null;

    private static string[] ConsoleArgs(ConsoleSocket? console) => console is null ? [] : ["--console-socket", console.Path];

    /// <summary>Never faults: when runc fails before sending the master, disposing the socket ends the wait.</summary>
    private static async Task<SafeFileHandle?> ReceiveConsoleAsync(ConsoleSocket? console)
    {
        if (console is null)
            return null;
        try
        {
            return await console.ReceiveMasterAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    /// <summary>runc succeeded: take the master (it has sent it by now), pump it, and route stdin to it.</summary>
    private async Task AdoptTerminalAsync(Task<SafeFileHandle?> receiving)
    {
        if (!_options.Tty)
            return;
        var master = await receiving.ConfigureAwait(false) ?? throw new IOException("runc did not send the console");
        _ptyMaster = master;
        _pumps.Add(TerminalPump.Start(master, (chunk) => _hub.Publish(OutputStream.Stdout, chunk)));
        if (_options.OpenStdin)
        {
            lock (_stdinGate)
            {
                _stdin?.Dispose(); // the pipe runc was given: unused with a terminal
                _stdin = new FileStream(new SafeFileHandle(master.DangerousGetHandle(), ownsHandle: false), FileAccess.Write, bufferSize: 0);
            }
        }
    }

    private void DisposeTerminal() => _ptyMaster?.Dispose();
}
