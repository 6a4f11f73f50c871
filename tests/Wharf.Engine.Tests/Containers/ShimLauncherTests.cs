using Wharf.Core.Shim;
using Wharf.Engine.Runtime;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

/// <summary>A launch that does not complete leaves no shim behind (two shims without a container were found after
/// a docker-py run: launches given up after the spawn).</summary>
public sealed class ShimLauncherTests : IDisposable
{
    private readonly TempDirectory _dir = new("wharf-launch");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Launch_ShimNeverListens_TheSpawnedShimIsKilled()
    {
        var spawner = new RecordingProcessSpawner();
        var client = new SocketShimClient(spawner, new EngineOptions { ShimReadyTimeout = TimeSpan.FromMilliseconds(50) });

        await Assert.ThrowsAsync<IOException>(() => client.LaunchAsync(Options(), CancellationToken.None));

        Assert.Equal([100_001], spawner.Killed);
    }

    [Fact]
    public async Task Launch_CancelledWhileWaitingForTheShim_TheSpawnedShimIsKilled()
    {
        var spawner = new RecordingProcessSpawner();
        var client = new SocketShimClient(spawner, new EngineOptions { ShimReadyTimeout = TimeSpan.FromSeconds(30) });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.LaunchAsync(Options(), cancel.Token));

        Assert.Equal([100_001], spawner.Killed);
    }

    [Fact]
    public void ListShims_FindsShimsOfThisExecRootByTheirCommandLine()
    {
        var spawner = new RecordingProcessSpawner();
        var options = new EngineOptions { ShimPath = "/usr/bin/wharf-shim", ExecRoot = _dir.Combine("exec") };
        var client = new SocketShimClient(spawner, options);
        var ours = Path.Combine(options.ExecRoot, "containers", "abc");
        spawner.Running.Add(new(10, ["/usr/bin/wharf-shim", "--id", "abc", "--state-dir", ours]));
        spawner.Running.Add(new(11, ["/usr/bin/wharf-shim", "--id", "x", "--state-dir", "/run/other/containers/x"]));
        spawner.Running.Add(new(12, ["/bin/sleep", "--state-dir", ours]));

        var found = client.ListShims(Path.Combine(options.ExecRoot, "containers"));

        Assert.Equal([new ShimProcess(10, ours)], found);
    }

    private ShimOptions Options() => new()
    {
        Id = "c1",
        Bundle = _dir.Combine("state"),
        StateDir = _dir.Combine("state"),
        Runtime = "runc",
        RuntimeRoot = _dir.Combine("runc"),
        LogPath = _dir.Combine("c1.log"),
    };
}
