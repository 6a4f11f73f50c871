using System.Diagnostics;
using Wharf.Core.Errors;
using Wharf.Engine.Builder;
using Wharf.Engine.Containers.Archive;
using Wharf.Engine.Containers.Spec;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

/// <summary>An image's /etc/passwd and /etc/group are hostile input: a FIFO gives an answer at once (never a daemon
/// blocked in open()), a link never reaches the host's files, and the size is capped.</summary>
public sealed class HostileAccountFileTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private readonly TempDirectory _root = new("wharf-hostile-passwd");
    private readonly string _etc;

    public HostileAccountFileTests()
    {
        _etc = _root.Combine("rootfs", "etc");
        Directory.CreateDirectory(_etc);
    }

    private string Rootfs => _root.Combine("rootfs");

    public void Dispose()
    {
        // A reader still blocked on a FIFO (the bug this guards against) is let go before the directory goes.
        foreach (var fifo in _fifos)
            ReleaseReader(fifo);
        _root.Dispose();
    }

    private readonly List<string> _fifos = [];

    [Fact]
    public async Task ResolveUser_PasswdIsAFifo_AnswersAtOnceWithDockersError()
    {
        MakeFifo(Path.Combine(_etc, "passwd"));
        var error = await CompletesAsync(() => UserResolver.ResolveInRootfs(Rootfs, "app"));
        Assert.Equal("unable to find user app: no matching entries in passwd file", error.Message);
    }

    [Fact]
    public async Task ResolveUser_GroupIsAFifo_AnswersAtOnce()
    {
        File.WriteAllText(Path.Combine(_etc, "passwd"), "app:x:1000:1000::/home/app:/bin/sh\n");
        MakeFifo(Path.Combine(_etc, "group"));
        var error = await CompletesAsync(() => UserResolver.ResolveInRootfs(Rootfs, "app:staff"));
        Assert.Equal("unable to find group staff: no matching entries in group file", error.Message);
    }

    [Fact]
    public async Task ChownInBuild_PasswdIsAFifoInALayer_AnswersAtOnce()
    {
        MakeFifo(Path.Combine(_etc, "passwd"));
        var error = await CompletesAsync(() => ChownResolver.Resolve("app", [Rootfs]));
        Assert.Contains("can't find uid for user app", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CopyOwner_PasswdIsAFifo_AnswersAtOnce()
    {
        MakeFifo(Path.Combine(_etc, "passwd"));
        var error = await CompletesAsync(() => ArchiveOwner.ResolveAsync(new RecordingRootConfinement(), Rootfs, "app").GetAwaiter().GetResult());
        Assert.Contains("unable to find user app", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveUser_PasswdLinkedToAHostFile_IsResolvedInsideTheRootfs()
    {
        var hostPasswd = _root.Combine("host-passwd");
        File.WriteAllText(hostPasswd, "hostonly:x:4242:4242::/:/bin/sh\n");
        File.CreateSymbolicLink(Path.Combine(_etc, "passwd"), hostPasswd);
        var error = Assert.Throws<EngineException>(() => UserResolver.ResolveInRootfs(Rootfs, "hostonly"));
        Assert.Equal("unable to find user hostonly: no matching entries in passwd file", error.Message);

        // The same absolute target, re-rooted: the rootfs's own copy is what counts.
        var inside = Rootfs + hostPasswd;
        Directory.CreateDirectory(Path.GetDirectoryName(inside)!);
        File.WriteAllText(inside, "insider:x:77:88::/in:/bin/sh\n");
        Assert.Equal(77u, UserResolver.ResolveInRootfs(Rootfs, "insider").Uid);
    }

    [Fact]
    public void ChownInBuild_PasswdLinkedToAHostFile_IsNotFollowed()
    {
        var hostPasswd = _root.Combine("host-passwd");
        File.WriteAllText(hostPasswd, "hostonly:x:4242:4242::/:/bin/sh\n");
        File.CreateSymbolicLink(Path.Combine(_etc, "passwd"), hostPasswd);
        var error = Assert.Throws<EngineException>(() => ChownResolver.Resolve("hostonly", [Rootfs]));
        Assert.Contains("can't find uid for user hostonly", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveUser_PasswdLargerThanTheCap_IsAClearError()
    {
        using (var file = File.Create(Path.Combine(_etc, "passwd")))
            file.SetLength(ImageAccountFile.MaxBytes + 1L);
        var error = Assert.Throws<EngineException>(() => UserResolver.ResolveInRootfs(Rootfs, "app"));
        Assert.Equal($"/etc/passwd in the container is larger than {ImageAccountFile.MaxBytes} bytes", error.Message);
    }

    /// <summary>Runs <paramref name="resolve"/> off the test thread and expects an EngineException within
    /// <see cref="Patience"/>: a blocked open() fails the test instead of hanging it.</summary>
    private static async Task<EngineException> CompletesAsync(Action resolve)
    {
        var attempt = Task.Factory.StartNew(resolve, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var finished = await Task.WhenAny(attempt, Task.Delay(Patience));
        Assert.True(finished == attempt, "the lookup is still blocked on the FIFO");
        return Assert.IsType<EngineException>(attempt.Exception?.InnerException);
    }

    private void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        _fifos.Add(path);
    }

    /// <summary>Opens the FIFO for writing without blocking (O_RDWR never waits on Linux) and closes it: a reader
    /// blocked in open() gets end of file.</summary>
    private static void ReleaseReader(string fifo)
    {
        try
        {
            using var writer = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
