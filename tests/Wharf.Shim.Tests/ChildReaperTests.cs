using Wharf.Linux;
using Xunit;

namespace Wharf.Shim.Tests;

/// <summary>The real reaper against the kernel: it reaps every child of this process, so these tests run alone
/// (no other test here starts a real process). A pid, once reaped, may belong to someone else: it is never
/// signalled again.</summary>
[Collection(RealProcessesCollection.Name)]
public sealed class ChildReaperTests
{
    private const int SigKill = 9;

    private static readonly Lazy<ChildReaper> Reaper = new(() =>
    {
        var reaper = new ChildReaper();
        reaper.Start();
        return reaper;
    });

    [Fact]
    public async Task TrySignal_LiveChild_IsDeliveredAndTheReapReportsIt()
    {
        var pid = Reaper.Value.Spawn(new SpawnRequest { Path = "/bin/sleep", Args = ["30"] });
        var exit = Reaper.Value.WaitAsync(pid);
        try
        {
            Assert.True(Reaper.Value.TrySignal(pid, SigKill));
            Assert.Equal(128 + SigKill, ProcessControl.ExitCodeFromWaitStatus(await exit.WaitAsync(TimeSpan.FromSeconds(20))));
        }
        finally
        {
            Reaper.Value.TrySignal(pid, SigKill);
        }
    }

    [Fact]
    public async Task TrySignal_AfterTheReap_SendsNothing()
    {
        var pid = Reaper.Value.Spawn(new SpawnRequest { Path = "/bin/sh", Args = ["-c", "exit 4"] });

        Assert.Equal(4, ProcessControl.ExitCodeFromWaitStatus(await Reaper.Value.WaitAsync(pid).WaitAsync(TimeSpan.FromSeconds(20))));

        Assert.False(Reaper.Value.TrySignal(pid, SigKill));
    }

    [Fact]
    public async Task TrySignal_ReapedBeforeAnyoneWaited_SendsNothingAndTheStatusIsKept()
    {
        var pid = Reaper.Value.Spawn(new SpawnRequest { Path = "/bin/sh", Args = ["-c", "exit 6"] });
        // Nobody waits yet: the reaper takes it and keeps the status for a later WaitAsync.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (File.Exists($"/proc/{pid}/stat") && DateTime.UtcNow < deadline)
            await Task.Delay(20);

        Assert.False(Reaper.Value.TrySignal(pid, SigKill));
        Assert.Equal(6, ProcessControl.ExitCodeFromWaitStatus(await Reaper.Value.WaitAsync(pid).WaitAsync(TimeSpan.FromSeconds(20))));
    }
}
