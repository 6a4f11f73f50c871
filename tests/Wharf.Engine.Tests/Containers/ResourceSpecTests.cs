using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Core.Oci;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Resources;
using Wharf.Engine.Containers.Spec;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

public sealed class ResourceSpecTests
{
    private static RuntimeSpec Empty() => SpecBuilder.NewSpec("/rootfs", ["sh"]);

    private static readonly Dictionary<string, ulong> HostLimits = new() { ["nofile"] = 1048576, ["nproc"] = 4096 };

    [Fact]
    public void WithResourceExtras_AllSettings_LandInTheOciFields()
    {
        var host = new HostSettings
        {
            Memory = 64 << 20, MemorySwap = 128 << 20, MemorySwappiness = 10, OomKillDisable = true, CpusetMems = "0",
            CpusetCpus = "0-1", BlkioWeight = 300, OomScoreAdj = 500,
            Ulimits = [new UlimitSetting { Name = "nofile", Soft = 100, Hard = 200 }, new UlimitSetting { Name = "nproc", Soft = -1, Hard = -1 }],
        };

        var spec = Empty().WithNofileLimit(1048576).WithResources(host, swapLimitSupported: true).WithResourceExtras(host);

        var r = spec.Linux.Resources!;
        Assert.Equal(64L << 20, r.Memory!.Limit);
        Assert.Equal(128L << 20, r.Memory.Swap);
        Assert.Equal(10UL, r.Memory.Swappiness);
        Assert.True(r.Memory.DisableOomKiller);
        Assert.Equal("0-1", r.Cpu!.Cpus);
        Assert.Equal("0", r.Cpu.Mems);
        Assert.Equal((ushort)300, r.BlockIo!.Weight);
        Assert.Equal(500, spec.Process.OomScoreAdj);
        Assert.Equal(
            [new SpecRlimit("RLIMIT_NOFILE", 200, 100), new SpecRlimit("RLIMIT_NPROC", ulong.MaxValue, ulong.MaxValue)],
            spec.Process.Rlimits!);
        var json = JsonSerializer.Serialize(spec, CoreJsonContext.Default.RuntimeSpec);
        Assert.Contains("\"disableOOMKiller\":true", json);
        Assert.Contains("\"swappiness\":10", json);
        Assert.Contains("\"mems\":\"0\"", json);
        Assert.Contains("\"blockIO\":{\"weight\":300}", json);
        Assert.Contains("\"oomScoreAdj\":500", json);
    }

    [Fact]
    public void WithResourceExtras_NothingSet_AddsNothing()
    {
        var spec = Empty().WithNofileLimit(1024).WithResourceExtras(new HostSettings());
        var json = JsonSerializer.Serialize(spec, CoreJsonContext.Default.RuntimeSpec);
        Assert.DoesNotContain("swappiness", json);
        Assert.DoesNotContain("disableOOMKiller", json);
        Assert.DoesNotContain("blockIO", json);
        Assert.DoesNotContain("oomScoreAdj", json);
        Assert.Equal([new SpecRlimit("RLIMIT_NOFILE", 1024, 1024)], spec.Process.Rlimits!);
    }

    [Fact]
    public void UpdatableResources_NanoCpusAndNoPidsLimit_QuotaAndLiftedPids()
    {
        var host = new HostSettings { NanoCpus = 500_000_000, Memory = 32 << 20, MemorySwap = 64 << 20 };

        var r = ResourceSpec.UpdatableResources(host, swapLimitSupported: false);

        Assert.Equal(50_000L, r.Cpu!.Quota);
        Assert.Equal(100_000UL, r.Cpu.Period);
        Assert.Equal(32L << 20, r.Memory!.Limit);
        Assert.Null(r.Memory.Swap);
        Assert.Equal(-1, r.Pids!.Limit);
        Assert.Empty(r.Devices);
    }

    [Fact]
    public void ValidateCreate_MemoryOnly_SwapBecomesTwiceMemory()
    {
        var host = new HostSettings { Memory = 32 << 20 };
        ResourceValidation.ValidateCreate(host, HostLimits, 2);
        Assert.Equal(64L << 20, host.MemorySwap);
    }

    [Theory]
    [InlineData(1L << 20, 0L, 0L, "Minimum memory limit allowed is 6MB")]
    [InlineData(32L << 20, 16L << 20, 0L, "Minimum memoryswap limit should be larger than memory limit, see usage")]
    [InlineData(0L, 64L << 20, 0L, "You should always set the Memory limit when using Memoryswap limit, see usage")]
    [InlineData(16L << 20, 0L, 32L << 20, "Minimum memory limit can not be less than memory reservation limit, see usage")]
    [InlineData(0L, 0L, 1L << 20, "Minimum memory reservation allowed is 6MB")]
    public void ValidateCreate_BadMemory_DockerWording(long memory, long swap, long reservation, string message)
    {
        var host = new HostSettings { Memory = memory, MemorySwap = swap, MemoryReservation = reservation };
        var e = Assert.Throws<EngineException>(() => ResourceValidation.ValidateCreate(host, HostLimits, 2));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("nofile", 10L, 2000000L, "invalid ulimit nofile: hard limit 2000000 exceeds the host's hard limit 1048576")]
    [InlineData("nproc", -1L, -1L, "invalid ulimit nproc: hard limit unlimited exceeds the host's hard limit 4096")]
    [InlineData("bogus", 1L, 1L, "invalid ulimit type: bogus")]
    [InlineData("nofile", 20L, 10L, "ulimit soft limit must be less than or equal to hard limit: 20 > 10")]
    public void ValidateCreate_BadUlimit_NamesIt(string name, long soft, long hard, string message)
    {
        var host = new HostSettings { Ulimits = [new UlimitSetting { Name = name, Soft = soft, Hard = hard }] };
        var e = Assert.Throws<EngineException>(() => ResourceValidation.ValidateCreate(host, HostLimits, 2));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("0-3", "Requested CPUs are not available - requested 0-3, available: 0-1")]
    [InlineData("a", "Invalid value a for cpuset cpus")]
    [InlineData("3-1", "Invalid value 3-1 for cpuset cpus")]
    public void ValidateLimits_BadCpuset_DockerWording(string cpuset, string message)
    {
        var e = Assert.Throws<EngineException>(() => ResourceValidation.ValidateLimits(new HostSettings { CpusetCpus = cpuset }, 2));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ValidateLimits_OtherRanges_DockerWording()
    {
        Assert.Equal("Range of blkio weight is from 10 to 1000",
            Assert.Throws<EngineException>(() => ResourceValidation.ValidateLimits(new HostSettings { BlkioWeight = 5 }, 2)).Message);
        Assert.Equal("Invalid value: 101, valid memory swappiness range is 0-100",
            Assert.Throws<EngineException>(() => ResourceValidation.ValidateLimits(new HostSettings { MemorySwappiness = 101 }, 2)).Message);
        Assert.Equal("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)",
            Assert.Throws<EngineException>(() => ResourceValidation.ValidateLimits(new HostSettings { CpuPeriod = 10 }, 2)).Message);
        Assert.Equal("Invalid value 2000, range for oom score adj is [-1000, 1000]",
            Assert.Throws<EngineException>(() => ResourceValidation.ValidateCreate(new HostSettings { OomScoreAdj = 2000 }, HostLimits, 2)).Message);
        Assert.Equal("Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available",
            Assert.Throws<EngineException>(() => ResourceValidation.ValidateLimits(new HostSettings { NanoCpus = 3_000_000_000 }, 2)).Message);
    }

    [Fact]
    public void ValidateLimits_OomKillDisableWithoutMemory_Warns()
    {
        var warnings = ResourceValidation.ValidateLimits(new HostSettings { OomKillDisable = true }, 2);
        Assert.Contains(warnings, w => w.StartsWith("OOM killer is disabled for the container, but no memory limit is set", StringComparison.Ordinal));
    }

    [Fact]
    public void Merge_ZeroFields_LeaveSettingsAndChangeOnlyGivenOnes()
    {
        var current = new HostSettings { Memory = 32 << 20, MemorySwap = 64 << 20, CpuShares = 512, PidsLimit = 50, CapAdd = ["NET_ADMIN"] };

        var merged = Wharf.Engine.Containers.Resources.ContainerResources.Merge(current, new ContainerUpdate { CpuShares = 256, PidsLimit = -1, RestartPolicy = "always" });

        Assert.Equal(32L << 20, merged.Memory);
        Assert.Equal(64L << 20, merged.MemorySwap);
        Assert.Equal(256, merged.CpuShares);
        Assert.Null(merged.PidsLimit);
        Assert.Equal("always", merged.RestartPolicy);
        Assert.Equal(["NET_ADMIN"], merged.CapAdd);
        Assert.Equal(512, current.CpuShares); // the original is untouched until the update succeeded
    }

    [Fact]
    public void Merge_MemoryAboveExistingSwap_RefusedWithDockerWording()
    {
        var current = new HostSettings { Memory = 32 << 20, MemorySwap = 64 << 20 };
        var e = Assert.Throws<EngineException>(() => Wharf.Engine.Containers.Resources.ContainerResources.Merge(current, new ContainerUpdate { Memory = 100 << 20 }));
        Assert.Equal("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time", e.Message);
        var ok = Wharf.Engine.Containers.Resources.ContainerResources.Merge(current, new ContainerUpdate { Memory = 100 << 20, MemorySwap = 200 << 20 });
        Assert.Equal((100L << 20, 200L << 20), (ok.Memory, ok.MemorySwap));
    }

    [Fact]
    public void Merge_RestartPolicyOnAutoRemove_Refused()
    {
        var e = Assert.Throws<EngineException>(() => Wharf.Engine.Containers.Resources.ContainerResources.Merge(new HostSettings { AutoRemove = true }, new ContainerUpdate { RestartPolicy = "always" }));
        Assert.Equal("Restart policy cannot be updated because AutoRemove is enabled for the container", e.Message);
    }

    [Fact]
    public void PsTableParse_HostPsOutput_KeepsOnlyContainerPidsAndWholeCommand()
    {
        const string output =
            "UID          PID    PPID  C STIME TTY          TIME CMD\n" +
            "root           1       0  0 Nov27 ?        00:01:04 /sbin/init splash\n" +
            "root        4242    4200  0 10:00 ?        00:00:00 sleep 300\n" +
            "root        4243    4242  0 10:00 ?        00:00:00 sh -c echo  two  spaces\n";

        var table = PsTable.Parse(output, [4242, 4243]);

        Assert.Equal(["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"], table.Titles);
        Assert.Equal(2, table.Processes.Count);
        Assert.Equal(["root", "4242", "4200", "0", "10:00", "?", "00:00:00", "sleep 300"], table.Processes[0]);
        Assert.Equal("sh -c echo  two  spaces", table.Processes[1][7]);
    }

    [Fact]
    public void PsTableParse_NoPidColumn_Throws() =>
        Assert.Throws<FormatException>(() => PsTable.Parse("USER COMMAND\nroot sh\n", [1]));
}
