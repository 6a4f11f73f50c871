using System.IO.Compression;
using System.Text;
using Wharf.Core.Errors;
using Wharf.Engine.Containers;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

public sealed class ContainerLogsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    private static string Line(int n) =>
        $"{{\"log\":\"line {n}\\n\",\"stream\":\"{(n % 2 == 0 ? "stdout" : "stderr")}\",\"time\":\"{T0.AddSeconds(n).UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffff}00Z\"}}\n";

    private static async Task<List<string>> ReadAsync(ContainerService service, string id, LogQuery query)
    {
        var lines = new List<string>();
        await foreach (var entry in service.ReadLogsAsync(id, query, CancellationToken.None))
            lines.Add(entry.Log.TrimEnd('\n'));
        return lines;
    }

    [Fact]
    public async Task ReadLogsAsync_RotatedAndCompressedFiles_AreReadOldestFirstWithTailSinceAndUntil()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var c = h.Create(host: s => { s.LogDriver = "json-file"; s.LogOptions = new() { ["max-size"] = "1k", ["max-file"] = "4", ["compress"] = "true" }; });
        var live = h.Service.PathsOf(c).LogFile;
        File.WriteAllText(live + ".3", Line(1) + Line(2));
        using (var gz = new GZipStream(File.Create(live + ".2.gz"), CompressionLevel.Fastest))
            gz.Write(Encoding.UTF8.GetBytes(Line(3) + Line(4)));
        File.WriteAllText(live + ".1", Line(5) + Line(6));
        File.WriteAllText(live, Line(7) + Line(8) + "{\"torn");

        var all = new LogQuery(true, true, false, null, null, null);
        Assert.Equal(Enumerable.Range(1, 8).Select(n => $"line {n}"), await ReadAsync(h.Service, c.Id, all));
        Assert.Equal(["line 6", "line 7", "line 8"], await ReadAsync(h.Service, c.Id, all with { Tail = 3 }));
        Assert.Equal(["line 3", "line 4", "line 5"], await ReadAsync(h.Service, c.Id, all with { Since = T0.AddSeconds(3), Until = T0.AddSeconds(5) }));
        Assert.Equal(["line 2", "line 4", "line 6", "line 8"], await ReadAsync(h.Service, c.Id, all with { Stderr = false }));
    }

    [Fact]
    public async Task Create_LogDriverNone_LogsAreNotReadable()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var c = h.Create(host: s => s.LogDriver = "none");

        var e = Assert.Throws<EngineException>(() => h.Service.EnsureLogsReadable(c.Id));
        Assert.Equal(ErrorKind.NotImplemented, e.Kind);
        Assert.Equal("configured logging driver does not support reading", e.Message);
    }

    [Fact]
    public async Task Create_BadLoggingOrSecurityInput_IsRejectedAtCreate()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();

        Assert.Equal("logger: no log driver named 'nope' is registered",
            Assert.Throws<EngineException>(() => h.Create(host: s => s.LogDriver = "nope")).Message);
        Assert.StartsWith("Decoding seccomp profile failed: ",
            Assert.Throws<EngineException>(() => h.Create(host: s => s.SecurityOpt = ["seccomp={"])).Message, StringComparison.Ordinal);
        Assert.Equal("sysctl \"kernel.pid_max\" is not in a separate kernel namespace",
            Assert.Throws<EngineException>(() => h.Create(host: s => s.Sysctls = new() { ["kernel.pid_max"] = "9" })).Message);
        // No device lookup in this harness: a --device is refused, never silently dropped.
        Assert.StartsWith("error gathering device information while adding custom device \"/dev/nope\"",
            Assert.Throws<EngineException>(() => h.Create(host: s => s.Devices = [new() { PathOnHost = "/dev/nope" }])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_NoLogDriverNamed_TakesTheDaemonDefault()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var c = h.Create(host: s => s.LogDriver = "");

        Assert.Equal("json-file", c.Host.LogDriver);
        Assert.Equal(h.Service.PathsOf(c).LogFile, h.Service.LogFileOf(c));
        Assert.EndsWith("local-logs/container.log", h.Service.LogFileOf(h.Create(host: s => s.LogDriver = "local")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_DaemonDefaultLogOptions_FillKeysTheContainerLeftOut()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var options = h.Options with { DefaultLogDriver = "json-file", DefaultLogOptions = new Dictionary<string, string> { ["max-size"] = "1m", ["max-file"] = "2" } };
        using var service = ContainerServiceHarness.Compose(options, h.Images, h.Snapshots, h.Mounts, new Wharf.Engine.Runtime.SocketShimClient(h.Spawner, options),
            new Wharf.Engine.Volumes.VolumeService(options.DataRoot, h.Mounts, h.Time), h.Events, TimeProvider.System);
        var c = service.Create(new ContainerCreateParams(null, new ContainerConfig { Image = "busybox", Cmd = ["true"] },
            new HostSettings { LogDriver = "", LogOptions = new() { ["max-file"] = "4" } }));

        Assert.Equal("json-file", c.Host.LogDriver);
        Assert.Equal("1m", c.Host.LogOptions["max-size"]);
        Assert.Equal("4", c.Host.LogOptions["max-file"]);
    }
}
