using System.Text.Json;

namespace Wharf.EndToEnd.Tests;

/// <summary>Runs a CLI inside a real pseudo-terminal (python3's pty module), as a person at a terminal would:
/// a script of steps types keys, waits for text, and resizes the window. The CLI itself sees a TTY, so
/// `-it`, raw mode, SIGWINCH and detach keys are exercised for real.</summary>
public static class PtyDriver
{
    private const string Driver = """
        import os, pty, sys, time, select, json, fcntl, termios, struct
        steps = json.loads(os.environ["PTY_STEPS"])
        pid, fd = pty.fork()
        if pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
            os.execvp(sys.argv[1], sys.argv[1:])
        out = b""
        pos = 0
        def pump(expect, timeout):
            global out, pos
            deadline = time.time() + timeout
            while time.time() < deadline:
                if expect is not None:
                    i = out.find(expect, pos)
                    if i >= 0:
                        pos = i + len(expect)
                        return True
                r, _, _ = select.select([fd], [], [], 0.05)
                if r:
                    try:
                        data = os.read(fd, 4096)
                    except OSError:
                        data = b""
                    if not data:
                        return expect is None
                    out += data
            return False
        ok = True
        for kind, arg in steps:
            if kind == "send":
                os.write(fd, arg.encode())
            elif kind == "expect":
                if not pump(arg.encode(), 60):
                    sys.stderr.write("expected %r, not seen\n" % arg)
                    ok = False
                    break
            elif kind == "resize":
                fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", arg[0], arg[1], 0, 0))
            elif kind == "sleep":
                time.sleep(arg)
        if not ok:
            os.kill(pid, 9)
        pump(None, 30)
        _, status = os.waitpid(pid, 0)
        sys.stdout.write(out.decode(errors="replace"))
        sys.exit(os.waitstatus_to_exitcode(status) if ok else 99)
        """;

    public static (string Kind, object Arg) Send(string keys) => ("send", keys);
    public static (string Kind, object Arg) Expect(string text) => ("expect", text);
    public static (string Kind, object Arg) Resize(int rows, int columns) => ("resize", new[] { rows, columns });
    public static (string Kind, object Arg) Sleep(double seconds) => ("sleep", seconds);

    /// <summary>Runs <paramref name="command"/> in a pty, 30 rows x 100 columns, playing <paramref name="steps"/>.
    /// Exit code 99 means an expected text never appeared (stderr names it).</summary>
    public static Task<CommandResult> RunAsync(IReadOnlyDictionary<string, string> env, IEnumerable<string> command, params (string Kind, object Arg)[] steps)
    {
        var json = new List<object[]>();
        foreach (var (kind, arg) in steps) json.Add([kind, arg]);
        var environment = new Dictionary<string, string>(env) { ["PTY_STEPS"] = JsonSerializer.Serialize(json) };
        // The system python starts fast; any python3 will do for the pty module.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        return CommandRunner.RunAsync(python, ["-c", Driver, .. command], environment, timeout: TimeSpan.FromSeconds(180));
    }
}
