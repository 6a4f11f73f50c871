using System.Diagnostics;
using Wharf.Linux.Terminals;

namespace Wharf.Linux.Tests;

/// <summary>The console-socket handshake runc performs, played by python3 (which can send SCM_RIGHTS): we
/// receive a real pty master and set its window size, which the other side reads back from the slave.</summary>
public sealed class ConsoleSocketTests
{
    private const string Sender = """
        import os, socket, sys, fcntl, termios, struct
        master, slave = os.openpty()
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(sys.argv[1])
        socket.send_fds(s, [b"/dev/pts/x"], [master])
        s.close()
        os.close(master)
        sys.stdin.readline()
        rows, cols, _, _ = struct.unpack("HHHH", fcntl.ioctl(slave, termios.TIOCGWINSZ, b"\0" * 8))
        print(rows, cols)
        """;

    [Fact]
    public async Task ReceiveMaster_FromPeer_GivesAWorkingPty()
    {
        using var console = ConsoleSocket.Listen();
        var info = new ProcessStartInfo(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Sender);
        info.ArgumentList.Add(console.Path);
        using var python = Process.Start(info)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            using var master = await console.ReceiveMasterAsync(timeout.Token);

            PtySize.Set(master, 37, 111);
            Assert.Equal((37, 111), PtySize.Get(master));
            await python.StandardInput.WriteLineAsync("go");
            await python.StandardInput.FlushAsync();
            var line = await python.StandardOutput.ReadLineAsync(timeout.Token);
            Assert.Equal("37 111", line);
        }
        finally
        {
            if (!python.HasExited) python.Kill();
            await python.WaitForExitAsync();
        }
    }
}
