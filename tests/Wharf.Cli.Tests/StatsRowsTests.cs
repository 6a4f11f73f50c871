using System.Text.Json;
using Wharf.Api.Resources;
using Wharf.Cli.Commands.Containers;
using Wharf.Cli.Commands;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Tests;

public sealed class StatsRowsTests
{
    private static ContainerStatsResponse Sample() => new()
    {
        Id = new string('c', 64),
        Name = "/web",
        CpuStats = new CpuStats { CpuUsage = new CpuUsage { TotalUsage = 3_000_000_000 }, SystemCpuUsage = 20_000_000_000, OnlineCpus = 2 },
        PrecpuStats = new CpuStats { CpuUsage = new CpuUsage { TotalUsage = 2_000_000_000 }, SystemCpuUsage = 10_000_000_000, OnlineCpus = 2 },
        MemoryStats = new MemoryStats { Usage = 3 * 1024 * 1024, Limit = 32 * 1024 * 1024, Stats = new() { ["total_inactive_file"] = 1024 * 1024 } },
        PidsStats = new PidsStats { Current = 4 },
        Networks = new() { ["eth0"] = new NetworkStats { RxBytes = 1500, TxBytes = 700 } },
        BlkioStats = new BlkioStats { IoServiceBytesRecursive = [new() { Op = "Read", Value = 4096 }, new() { Op = "write", Value = 2_000_000 }] },
    };

    [Fact]
    public void ToRow_Sample_ComputesColumnsLikeDocker()
    {
        var row = StatsRows.ToRow("web", Sample(), truncate: true);
        string Field(string name) => row.GetProperty(name).GetString()!;

        Assert.Equal("cccccccccccc", Field("ID"));
        Assert.Equal("web", Field("Name"));
        Assert.Equal("20.00%", Field("CPUPerc")); // 1 s of 10 s system time on 2 CPUs
        Assert.Equal("2MiB / 32MiB", Field("MemUsage")); // inactive file pages are not counted
        Assert.Equal("6.25%", Field("MemPerc"));
        Assert.Equal("1.5kB / 700B", Field("NetIO"));
        Assert.Equal("4.1kB / 2MB", Field("BlockIO"));
        Assert.Equal("4", Field("PIDs"));
    }

    [Fact]
    public void CpuPercent_NoPreviousSample_IsZero()
    {
        var s = Sample();
        s.PrecpuStats = new CpuStats();
        s.CpuStats.SystemCpuUsage = 0;
        Assert.Equal(0, StatsRows.CpuPercent(s));
    }

    [Fact]
    public void Render_DefaultFormat_HasDockerHeaders()
    {
        var text = FormattedWriter.Render(StatsRows.DefaultTableFormat, StatsRows.Headers, [StatsRows.ToRow("web", Sample(), true)]);
        var header = text.Split('\n')[0];
        foreach (var title in new[] { "CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS" })
            Assert.Contains(title, header);
    }

    [Fact]
    public void UpdateBuild_Flags_ZeroForUnsetAndParsedValues()
    {
        var command = new UpdateCommand();
        var args = ArgParser.Parse(["--memory", "64m", "--cpus", "0.5", "--pids-limit", "-1", "--restart", "on-failure:3", "c1"], command.Options);

        var body = UpdateCommand.Build(args);

        Assert.Equal(64L << 20, body.Memory);
        Assert.Equal(500_000_000L, body.NanoCpus);
        Assert.Equal(-1L, body.PidsLimit);
        Assert.Equal(("on-failure", 3), (body.RestartPolicy!.Name, body.RestartPolicy.MaximumRetryCount));
        Assert.Equal(0L, body.MemorySwap);
        Assert.Equal(0L, body.CpuShares);
        Assert.Contains("\"Memory\":67108864", JsonSerializer.Serialize(body, ResourcesJsonContext.Default.ContainerUpdateRequest));
    }
}
