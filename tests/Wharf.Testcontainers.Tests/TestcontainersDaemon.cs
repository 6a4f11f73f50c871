using System.Runtime.CompilerServices;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using Wharf.EndToEnd.Tests;

namespace Wharf.Testcontainers.Tests;

/// <summary>A real wharfd (the end-to-end tests' <see cref="DaemonFixture"/>) for Testcontainers to drive, started
/// only when these tests can run at all: as root, with the published binaries present.</summary>
public sealed class TestcontainersDaemon : IAsyncLifetime
{
    /// <summary>Why the tests cannot run here, or null when they can.</summary>
    public static string? SkipReason { get; } = FindSkipReason();

    private DaemonFixture? _daemon;

    public DaemonFixture Daemon => _daemon ?? throw new InvalidOperationException("the daemon was not started: " + SkipReason);

    /// <summary>Ryuk, Testcontainers' reaper, is an image from Docker Hub, which these tests may never pull: it is
    /// switched off before Testcontainers reads its settings; every test removes what it made instead.</summary>
    [ModuleInitializer]
    internal static void DisableResourceReaper()
    {
        Environment.SetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED", "true");
        TestcontainersSettings.ResourceReaperEnabled = false;
    }

    /// <summary>A container builder aimed at this daemon, with busybox:latest (imported by the fixture) that is
    /// never pulled.</summary>
    public ContainerBuilder Container() =>
        new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint(Daemon.Host)
            .WithImagePullPolicy(_ => false)
            .WithCleanUp(false);

    public NetworkBuilder Network() => new NetworkBuilder().WithDockerEndpoint(Daemon.Host).WithCleanUp(false);

    public VolumeBuilder Volume() => new VolumeBuilder().WithDockerEndpoint(Daemon.Host).WithCleanUp(false);

    public async Task InitializeAsync()
    {
        if (SkipReason is not null) return;
        _daemon = new DaemonFixture();
        await _daemon.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
    }

    private static string? FindSkipReason()
    {
        if (!Environment.IsPrivilegedProcess) return "needs root: wharfd mounts, creates namespaces and bridges";
        foreach (var binary in new[] { TestBinaries.Wharfd, TestBinaries.Shim })
            if (!File.Exists(binary)) return $"{binary} is missing: publish first (scripts/publish.sh) or set WHARF_BIN_DIR";
        if (!File.Exists(TestBinaries.BusyboxRootfsScript)) return $"{TestBinaries.BusyboxRootfsScript} is missing";
        if (!OnPath("runc")) return "runc is not installed";
        if (!File.Exists(TestBinaries.Docker) && !OnPath("docker")) return "the docker CLI (used to import busybox) is not installed";
        return null;
    }

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, name)));
}
