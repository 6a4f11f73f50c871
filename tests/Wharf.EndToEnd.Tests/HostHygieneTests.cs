namespace Wharf.EndToEnd.Tests;

/// <summary>Tests leave the host as they found it: the second dockerd some tests start lives in a network namespace
/// of its own, so its networking (which deletes an existing docker0 when the bridge is disabled) never meets the
/// host's.</summary>
public sealed class HostHygieneTests
{
    [Fact]
    public async Task RealDockerDaemon_Start_RunsInItsOwnNetworkNamespaceAndKeepsHostLinks()
    {
        Assert.True(RealDockerDaemon.Available, $"{RealDockerDaemon.Binary} is missing: apt-get install docker.io (Debian 12)");
        var hostLinks = Directory.GetFileSystemEntries("/sys/class/net").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var hostNetns = new FileInfo("/proc/self/ns/net").LinkTarget!;
        await using (var docker = new RealDockerDaemon())
        {
            await docker.StartAsync();
            var dockerNetns = new FileInfo($"/proc/{docker.Pid}/ns/net").LinkTarget!;
            Assert.NotEqual(hostNetns, dockerNetns);
            Assert.Contains("dockerd", await File.ReadAllTextAsync($"/proc/{docker.Pid}/cmdline"), StringComparison.Ordinal);
        }
        // Links other tests create meanwhile may come and go; none of the host's may have been removed by dockerd.
        var after = Directory.GetFileSystemEntries("/sys/class/net").Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        Assert.All(hostLinks.Where(l => l is "docker0" or "lo" || l!.StartsWith("eth", StringComparison.Ordinal)), l => Assert.Contains(l, after));
    }
}
