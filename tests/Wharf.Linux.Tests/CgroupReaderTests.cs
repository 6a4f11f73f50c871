using Wharf.Linux.Cgroups;
using Wharf.Linux.Host;

namespace Wharf.Linux.Tests;

/// <summary>The cgroup reader against fixture trees shaped like a v1 (hybrid) host and a v2 host.</summary>
public sealed class CgroupReaderTests : IDisposable
{
    private const string CgroupPath = "/wharf/abc";
    private readonly TempDirectory _dir = new("wharf-cgroup-test-");

    public void Dispose() => _dir.Dispose();

    private string Proc => _dir.Combine("proc");

    private void Write(string relative, string text)
    {
        var path = _dir.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private void WriteProc(int pid)
    {
        Write("proc/stat", "cpu  100 5 50 1000 10 1 2 7 0 0\ncpu0 50 2 25 500 5 0 1 0 0 0\ncpu1 50 3 25 500 5 1 1 0 0 0\nintr 1\n");
        Write("proc/meminfo", "MemTotal:        8000000 kB\nMemFree:         100 kB\n");
        Write($"proc/{pid}/net/dev",
            "Inter-|   Receive                                                |  Transmit\n" +
            " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n" +
            "    lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0\n" +
            "  eth0:    1500      10    1    2    0     0          0         0      700       5    3    4    0     0       0          0\n");
    }

    [Fact]
    public void Sample_V1Layout_ReadsEveryController()
    {
        var root = _dir.Combine("v1");
        Write("v1/cpuacct/wharf/abc/cpuacct.usage", "123456789\n");
        Write("v1/cpuacct/wharf/abc/cpuacct.usage_percpu", "100000000 23456789 \n");
        Write("v1/cpuacct/wharf/abc/cpuacct.stat", "user 7\nsystem 3\n");
        Write("v1/cpu/wharf/abc/cpu.stat", "nr_periods 10\nnr_throttled 2\nthrottled_time 5000\n");
        Write("v1/memory/wharf/abc/memory.usage_in_bytes", "4194304\n");
        Write("v1/memory/wharf/abc/memory.max_usage_in_bytes", "5000000\n");
        Write("v1/memory/wharf/abc/memory.failcnt", "4\n");
        Write("v1/memory/wharf/abc/memory.limit_in_bytes", "33554432\n");
        Write("v1/memory/wharf/abc/memory.stat", "cache 4096\nrss 8192\ntotal_inactive_file 1024\n");
        Write("v1/pids/wharf/abc/pids.current", "3\n");
        Write("v1/pids/wharf/abc/pids.max", "max\n");
        Write("v1/pids/wharf/abc/cgroup.procs", "41\n42\n43\n");
        Write("v1/blkio/wharf/abc/blkio.io_service_bytes_recursive", "");
        Write("v1/blkio/wharf/abc/blkio.throttle.io_service_bytes_recursive", "8:0 Read 4096\n8:0 Write 8192\n8:0 Total 12288\nTotal 12288\n");
        WriteProc(42);

        var reader = new CgroupReader(root, Proc);
        var s = reader.Sample(CgroupPath, 42);

        Assert.False(reader.Unified);
        Assert.False(s.Unified);
        Assert.Equal(123456789UL, s.CpuTotalNanos);
        Assert.Equal([100000000UL, 23456789UL], s.CpuPerCoreNanos);
        Assert.Equal(70_000_000UL, s.CpuUserNanos);
        Assert.Equal(30_000_000UL, s.CpuKernelNanos);
        Assert.Equal((10UL, 2UL, 5000UL), (s.ThrottlingPeriods, s.ThrottledPeriods, s.ThrottledTimeNanos));
        Assert.Equal(4194304UL, s.MemoryUsage);
        Assert.Equal(5000000UL, s.MemoryMaxUsage);
        Assert.Equal(4UL, s.MemoryFailcnt);
        Assert.Equal(33554432UL, s.MemoryLimit);
        Assert.Equal(1024UL, s.MemoryStats["total_inactive_file"]);
        Assert.Equal(3UL, s.PidsCurrent);
        Assert.Equal(0UL, s.PidsLimit);
        Assert.Equal([new Core.Host.BlkioEntry(8, 0, "Read", 4096), new Core.Host.BlkioEntry(8, 0, "Write", 8192)], s.IoServiceBytes);
        // user+nice+system+idle+iowait+irq+softirq = 1168 ticks of 10 ms; steal is not counted, as in Docker.
        Assert.Equal(1168UL * 10_000_000, s.SystemCpuNanos);
        Assert.Equal(2U, s.OnlineCpus);
        var eth0 = Assert.Single(s.Networks);
        Assert.Equal(new Core.Host.NetworkCounters("eth0", 1500, 10, 1, 2, 700, 5, 3, 4), eth0);
        Assert.Equal([41, 42, 43], reader.Pids(CgroupPath));
    }

    [Fact]
    public void Sample_V1UnlimitedMemory_ReportsHostMemory()
    {
        var root = _dir.Combine("v1");
        Write("v1/memory/wharf/abc/memory.limit_in_bytes", "9223372036854771712\n");
        Write("v1/memory/wharf/abc/memory.usage_in_bytes", "1000\n");
        WriteProc(7);

        var s = new CgroupReader(root, Proc).Sample(CgroupPath, 7);

        Assert.Equal(8_000_000UL * 1024, s.MemoryLimit);
    }

    [Fact]
    public void Sample_V2Layout_ReadsUnifiedFiles()
    {
        var root = _dir.Combine("v2");
        Write("v2/cgroup.controllers", "cpu io memory pids\n");
        Write("v2/wharf/abc/cpu.stat", "usage_usec 2000\nuser_usec 1500\nsystem_usec 500\nnr_periods 4\nnr_throttled 1\nthrottled_usec 30\n");
        Write("v2/wharf/abc/memory.current", "2097152\n");
        Write("v2/wharf/abc/memory.max", "16777216\n");
        Write("v2/wharf/abc/memory.stat", "anon 4096\nfile 8192\ninactive_file 2048\n");
        Write("v2/wharf/abc/memory.events", "low 0\nhigh 0\nmax 6\noom 1\noom_kill 1\n");
        Write("v2/wharf/abc/pids.current", "2\n");
        Write("v2/wharf/abc/pids.max", "100\n");
        Write("v2/wharf/abc/io.stat", "8:16 rbytes=1024 wbytes=2048 rios=1 wios=2 dbytes=0 dios=0\n");
        Write("v2/wharf/abc/cgroup.procs", "9\n10\n");
        WriteProc(9);

        var reader = new CgroupReader(root, Proc);
        var s = reader.Sample(CgroupPath, 9);

        Assert.True(reader.Unified);
        Assert.True(s.Unified);
        Assert.Equal(2_000_000UL, s.CpuTotalNanos);
        Assert.Equal(1_500_000UL, s.CpuUserNanos);
        Assert.Equal(500_000UL, s.CpuKernelNanos);
        Assert.Empty(s.CpuPerCoreNanos);
        Assert.Equal((4UL, 1UL, 30_000UL), (s.ThrottlingPeriods, s.ThrottledPeriods, s.ThrottledTimeNanos));
        Assert.Equal(2097152UL, s.MemoryUsage);
        Assert.Equal(16777216UL, s.MemoryLimit);
        Assert.Equal(2048UL, s.MemoryStats["inactive_file"]);
        Assert.Equal((2UL, 100UL), (s.PidsCurrent, s.PidsLimit));
        Assert.Equal([new Core.Host.BlkioEntry(8, 16, "read", 1024), new Core.Host.BlkioEntry(8, 16, "write", 2048)], s.IoServiceBytes);
        Assert.Equal([new Core.Host.BlkioEntry(8, 16, "read", 1), new Core.Host.BlkioEntry(8, 16, "write", 2)], s.IoServiced);
        Assert.Equal([9, 10], reader.Pids(CgroupPath));
    }

    [Fact]
    public void Sample_MissingCgroup_GivesZeroesNotErrors()
    {
        var s = new CgroupReader(_dir.Combine("nothing"), Proc).Sample(CgroupPath, 0);
        Assert.Equal(0UL, s.CpuTotalNanos);
        Assert.Equal(0UL, s.MemoryUsage);
        Assert.Empty(s.Networks);
    }

    [Theory]
    [InlineData("12:pids:/wharf/x\n4:memory:/wharf/x\n0::/\n", false, "/cg/memory/wharf/x/memory.oom_control")]
    [InlineData("4:cpu,memory:/wharf/x\n", false, "/cg/memory/wharf/x/memory.oom_control")]
    [InlineData("0::/wharf/x\n", true, "/cg/wharf/x/memory.events")]
    [InlineData("1:name=systemd:/\n", false, null)]
    public void OomCounterLocate_ProcCgroup_PointsAtTheCounterFile(string procCgroup, bool unified, string? expected) =>
        Assert.Equal(expected, OomCounter.Locate(procCgroup, "/cg", unified));

    [Fact]
    public void OomCounter_ForProcessOnV1_CountsKills()
    {
        var root = _dir.Combine("v1");
        Write("proc/77/cgroup", "4:memory:/wharf/abc\n");
        Write("v1/memory/wharf/abc/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");

        var counter = OomCounter.ForProcess(77, root, Proc);

        Assert.NotNull(counter);
        Assert.Equal(2UL, counter.Kills());
    }

    [Fact]
    public void HostRlimitsParse_ProcLimits_MapsDockerNames()
    {
        var limits = HostRlimits.Parse(
            "Limit                     Soft Limit           Hard Limit           Units     \n" +
            "Max processes             31615                31615                processes \n" +
            "Max open files            1024                 524288               files     \n" +
            "Max core file size        0                    unlimited            bytes     \n");
        Assert.Equal(31615UL, limits["nproc"]);
        Assert.Equal(524288UL, limits["nofile"]);
        Assert.Equal(ulong.MaxValue, limits["core"]);
    }

    [Fact]
    public void RuncMessage_Logfmt_KeepsOnlyTheMessage()
    {
        Assert.Equal("container not running", RuncControl.RuncMessage("time=\"2026\" level=error msg=\"container not running\"", 1));
        Assert.Equal("exit status 2", RuncControl.RuncMessage("", 2));
    }
}
