namespace Wharf.Linux.Tests;

public sealed class PosixSpawnerTests
{
    [Fact]
    public void Spawn_OutputFile_ReceivesStdoutAndStderrAndChildIsInNewSession()
    {
        using var temp = new TempDirectory();
        var log = temp.Combine("out.log");

        var pid = PosixSpawner.Spawn(new SpawnRequest
        {
            Path = "/bin/sh",
            Args = ["-c", "echo out; echo err >&2; read x || echo stdin-eof; cat /proc/self/stat | cut -d' ' -f6; exit 4"],
            OutputFile = log,
            NewSession = true,
        });
        Assert.True(ProcessControl.WaitFor(pid, out var status));

        Assert.Equal(4, ProcessControl.ExitCodeFromWaitStatus(status));
        var lines = File.ReadAllLines(log);
        Assert.Equal(["out", "err", "stdin-eof"], lines[..3]);
        // field 6 of /proc/<pid>/stat is the session id of `cat`, i.e. the shell's new session = the shell's pid
        Assert.Equal(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), lines[3]);
    }

    [Fact]
    public void Spawn_PipeHandles_ChildWritesToPipeAndPipeSeesEof()
    {
        var (read, write) = UnixPipe.Create();
        using (read)
        {
            int pid;
            using (write)
            {
                pid = PosixSpawner.Spawn(new SpawnRequest { Path = "echo", Args = ["hello"], Stdout = write });
            }
            using var stream = new FileStream(read, FileAccess.Read, bufferSize: 0);
            using var reader = new StreamReader(stream);
            Assert.Equal("hello\n", reader.ReadToEnd()); // EOF proves no other copy of the write end leaked
            Assert.True(ProcessControl.WaitFor(pid, out var status));
            Assert.Equal(0, ProcessControl.ExitCodeFromWaitStatus(status));
        }
    }

    [Fact]
    public void Spawn_MissingBinary_ThrowsNamingIt()
    {
        var e = Assert.Throws<SyscallException>(() => PosixSpawner.Spawn(new SpawnRequest { Path = "no-such-binary-wharf" }));

        Assert.Equal("no-such-binary-wharf", e.Path);
    }

    [Fact]
    public void SendSignal_Kill_ExitCodeIs137()
    {
        var pid = PosixSpawner.Spawn(new SpawnRequest { Path = "sleep", Args = ["30"] });
        try
        {
            Assert.True(ProcessControl.SendSignal(pid, 9 /* SIGKILL */));
        }
        finally
        {
            Assert.True(ProcessControl.WaitFor(pid, out var status));
            Assert.Equal(137, ProcessControl.ExitCodeFromWaitStatus(status));
        }
        Assert.False(ProcessControl.SendSignal(pid, 0));
    }

    [Fact]
    public void SpawnDetached_ShortLivedChild_IsReapedAutomatically()
    {
        using var temp = new TempDirectory();
        var log = temp.Combine("detached.log");

        var pid = new LinuxProcessSpawner().SpawnDetached("/bin/sh", ["-c", "echo detached"], log);

        // Reaped by the spawner's thread: the pid disappears instead of lingering as a zombie.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Directory.Exists($"/proc/{pid}") && DateTime.UtcNow < deadline)
            Thread.Sleep(20);
        Assert.False(Directory.Exists($"/proc/{pid}"));
        Assert.Equal("detached\n", File.ReadAllText(log));
    }
}
