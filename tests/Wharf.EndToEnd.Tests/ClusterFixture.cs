namespace Wharf.EndToEnd.Tests;

/// <summary>One scripts/cluster-up.sh cluster (etcd and three wharfd hosts, busybox imported on each) for every test of
/// a class: bringing one up takes most of a cluster test's time, so the overlay and fault tests share it, and each
/// leaves it as it found it (every host up, nothing of its own left). Taken down after the last test, even when one
/// failed.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public string State { get; } = Path.Combine(Path.GetTempPath(), "wharf-cluster-" + Guid.NewGuid().ToString("N")[..8]);

    public static string Script(string name) => Path.Combine(TestBinaries.RepoRoot, "scripts", name);

    public async Task InitializeAsync()
    {
        var image = Environment.GetEnvironmentVariable("WHARF_BUSYBOX_TAR");
        Assert.False(string.IsNullOrEmpty(image), "WHARF_BUSYBOX_TAR must name a busybox rootfs tar (scripts/make-busybox-rootfs.sh)");
        var up = await CommandRunner.RunAsync("bash", [Script("cluster-up.sh"), "--bin", TestBinaries.Dir, "--state", State, "--image", image!],
            new Dictionary<string, string>(), timeout: TimeSpan.FromMinutes(4));
        Assert.True(up.ExitCode == 0, up.ToString());
    }

    // The down script removes containers, daemons, etcd and namespaces, and is safe on a half-made cluster.
    public async Task DisposeAsync() =>
        await CommandRunner.RunAsync("bash", [Script("cluster-down.sh"), "--state", State], new Dictionary<string, string>(), timeout: TimeSpan.FromMinutes(2));
}
