using System.Globalization;

namespace Wharf.EndToEnd.Tests;

/// <summary>What the host's capability bounding set decides end to end: `exec --privileged` holds every capability
/// the host can grant (not only the container's), and a --cap-add the host lacks is a create warning, not a failed
/// start (this VM's bounding set has no CAP_SYS_RESOURCE).</summary>
[Collection(DaemonCollection.Name)]
public sealed class HostCapabilityTests(DaemonFixture daemon)
{
    private const ulong DockerDefaultMask = 0xa80425fb;
    private const int SysResourceBit = 24;

    private static ulong HostBounding()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("CapBnd:", StringComparison.Ordinal));
        return ulong.Parse(line["CapBnd:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    private static ulong CapEff(string output)
    {
        var line = output.Split('\n').First(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return ulong.Parse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Exec_Privileged_HoldsTheHostsBoundingSetWhileTheContainerKeepsDefaults()
    {
        var name = "privexec-" + Guid.NewGuid().ToString("N")[..6];
        var run = await daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sleep", "300");
        Assert.True(run.ExitCode == 0, run.ToString());
        try
        {
            var plain = await daemon.DockerAsync("exec", name, "grep", "CapEff", "/proc/self/status");
            Assert.True(plain.ExitCode == 0, plain.ToString());
            Assert.Equal(DockerDefaultMask, CapEff(plain.Stdout));

            var privileged = await daemon.DockerAsync("exec", "--privileged", name, "grep", "CapEff", "/proc/self/status");
            Assert.True(privileged.ExitCode == 0, privileged.ToString());
            Assert.Equal(HostBounding(), CapEff(privileged.Stdout));

            var wharf = await daemon.WharfAsync("exec", "--privileged", name, "grep", "CapEff", "/proc/self/status");
            Assert.True(wharf.ExitCode == 0, wharf.ToString());
            Assert.Equal(HostBounding(), CapEff(wharf.Stdout));

            // The container's own processes are untouched by the privileged exec.
            Assert.Equal(DockerDefaultMask, CapEff((await daemon.DockerAsync("exec", name, "grep", "CapEff", "/proc/1/status")).Stdout));
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task Run_CapAddTheHostLacks_WarnsNamingItAndRunsWithoutIt()
    {
        var hostHasIt = (HostBounding() & (1UL << SysResourceBit)) != 0;
        var run = await daemon.DockerAsync("run", "--rm", "--cap-add", "SYS_RESOURCE", "--cap-add", "NET_ADMIN", "busybox", "grep", "CapEff", "/proc/self/status");
        Assert.True(run.ExitCode == 0, run.ToString());
        var caps = CapEff(run.Stdout);
        Assert.NotEqual(0UL, caps & (1UL << 12)); // NET_ADMIN, which the host has, is granted
        if (hostHasIt)
        {
            Assert.NotEqual(0UL, caps & (1UL << SysResourceBit));
            Assert.DoesNotContain("CAP_SYS_RESOURCE", run.Stderr);
        }
        else
        {
            Assert.Equal(0UL, caps & (1UL << SysResourceBit));
            Assert.Contains("WARNING: Capability CAP_SYS_RESOURCE is not in the host's capability bounding set", run.Stderr);
            var wharf = await daemon.WharfAsync("create", "--cap-add", "sys_resource", "busybox", "true");
            Assert.True(wharf.ExitCode == 0, wharf.ToString());
            Assert.Contains("CAP_SYS_RESOURCE", wharf.Stderr);
            await daemon.DockerAsync("rm", "-f", wharf.Stdout.Trim());
        }
    }
}
