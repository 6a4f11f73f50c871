using Wharf.Linux.Files;

namespace Wharf.Linux.Tests;

/// <summary>The confined thread sees the root as "/": symlinks out of it (absolute, relative, "..") land inside it,
/// a symlink swapped in while work runs leads nowhere else, and the rest of the process keeps the host's root.</summary>
public sealed class ThreadRootConfinementTests
{
    private readonly ThreadRootConfinement _confinement = new();

    [Fact]
    public async Task SymlinksToTheHostRoot_ResolveInsideTheRoot()
    {
        using var temp = new TempDirectory();
        var root = Directory.CreateDirectory(temp.Combine("root")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.WriteAllText(Path.Combine(root, "etc", "hostname"), "inside");
        File.CreateSymbolicLink(Path.Combine(root, "abs"), "/");
        File.CreateSymbolicLink(Path.Combine(root, "rel"), "../../../../../../..");
        var hostMarker = temp.Combine("host-only");
        File.WriteAllText(hostMarker, "host");

        var seen = await _confinement.RunAsync(root, inside => new[]
        {
            inside,
            File.ReadAllText("/abs/etc/hostname"),
            File.ReadAllText("/rel/etc/hostname"),
            File.ReadAllText("/../../etc/hostname"),
            File.Exists(hostMarker).ToString(),
            File.Exists("/abs" + hostMarker).ToString(),
        });

        Assert.Equal(["/", "inside", "inside", "inside", "False", "False"], seen);
        Assert.True(File.Exists(hostMarker)); // the daemon's other threads keep the host's root
    }

    [Fact]
    public async Task WritesThroughASwappedSymlink_StayInsideTheRoot()
    {
        using var temp = new TempDirectory();
        var root = Directory.CreateDirectory(temp.Combine("root")).FullName;
        File.CreateSymbolicLink(Path.Combine(root, "dir"), temp.Path); // a container's "dir" now points at "/tmp/..."
        var escaped = Path.Combine(temp.Path, "escaped");

        await _confinement.RunAsync(root, inside =>
        {
            Directory.CreateDirectory(temp.Path); // inside the root: root/tmp/wharf-linux-test-…
            File.WriteAllText("/dir/escaped", "x");
            return true;
        });

        Assert.False(File.Exists(escaped));
        Assert.True(File.Exists(Path.Combine(root, temp.Path.TrimStart('/'), "escaped")));
    }

    [Fact]
    public async Task AThreadCreatedByTheWork_IsBackAtTheHostRoot_OnceTheWorkEnds()
    {
        using var temp = new TempDirectory();
        var root = Directory.CreateDirectory(temp.Combine("root")).FullName;
        var hostMarker = temp.Combine("host-only");
        File.WriteAllText(hostMarker, "host");
        using var go = new ManualResetEventSlim();
        var seenByChild = new bool[2];
        Thread? child = null;

        // The runtime makes thread-pool workers on whichever thread first needs one: such a worker shares the
        // confined thread's root. It is confined while the work runs, and back at the host's root afterwards.
        await _confinement.RunAsync(root, _ =>
        {
            child = new Thread(() =>
            {
                seenByChild[0] = File.Exists(hostMarker);
                go.Wait();
                seenByChild[1] = File.Exists(hostMarker);
            });
            child.Start();
            while (child.ThreadState == ThreadState.Unstarted) Thread.Sleep(1);
            Thread.Sleep(50);
            return true;
        });
        go.Set();
        child!.Join();

        Assert.Equal([false, true], seenByChild);
    }

    [Fact]
    public async Task WorkFailure_ReachesTheCaller_AndAMissingRootIsAnError()
    {
        using var temp = new TempDirectory();
        await Assert.ThrowsAsync<FileNotFoundException>(() => _confinement.RunAsync(temp.Path, _ => File.ReadAllText("/nope")));
        await Assert.ThrowsAsync<SyscallException>(() => _confinement.RunAsync(temp.Combine("missing"), _ => true));
    }
}
