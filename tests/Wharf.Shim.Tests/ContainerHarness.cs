using Wharf.Core.Shim;
using Wharf.TestKit;

namespace Wharf.Shim.Tests;

/// <summary>A <see cref="ContainerProcess"/> over a temp state dir, fake children (runc and the container) and a
/// recording log writer.</summary>
internal sealed class ContainerHarness : IDisposable
{
    private readonly TempDirectory _dir = new("wharf-shim-test");

    public ContainerHarness(bool openStdin = false)
    {
        Options = new ShimOptions
        {
            Id = "c0ffee",
            Bundle = _dir.Combine("bundle"),
            StateDir = _dir.Combine("state"),
            Runtime = "/fake/runc",
            RuntimeRoot = _dir.Combine("runc-root"),
            LogPath = _dir.Combine("container-json.log"),
            OpenStdin = openStdin,
        };
        Directory.CreateDirectory(Options.StateDir);
        Hub = new OutputHub(Log, TimeProvider.System);
        Container = new ContainerProcess(Options, Children, Hub, TimeProvider.System);
    }

    public ShimOptions Options { get; }
    public FakeChildProcesses Children { get; } = new();
    public RecordingLogWriter Log { get; } = new();
    public OutputHub Hub { get; }
    public ContainerProcess Container { get; }

    public string ExitFile => ShimPaths.ExitFile(Options.StateDir);

    /// <summary>Generous: only a broken state machine waits this long.</summary>
    public static TimeSpan Patience => TimeSpan.FromSeconds(20);

    public void Dispose()
    {
        Log.Block?.Set(); // never leave a pump thread parked on a test's writer
        if (Container.State().Status != "created")
        {
            // A started container's exit still writes into the state dir: let it finish before the dir goes.
            var pid = Container.State().Pid;
            if (pid > 0)
                Children.Exit(pid, 0);
            Container.Finished.Wait(Patience);
        }
        Container.Dispose();
        Hub.Dispose();
        _dir.Dispose();
    }
}
