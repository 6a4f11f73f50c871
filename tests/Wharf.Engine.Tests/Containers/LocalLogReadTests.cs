using System.Buffers;
using System.IO.Compression;
using System.Text;
using Wharf.Core.Logs;
using Wharf.Engine.Containers;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

/// <summary>docker logs over the "local" driver's files (Docker's protobuf records), rotated and gzipped ones too.</summary>
public sealed class LocalLogReadTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    private static byte[] Records(params int[] numbers)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var n in numbers)
        {
            var time = LocalLogRecord.ToUnixNanos(T0.AddSeconds(n));
            LocalLogCodec.Encode(new LocalLogRecord(n % 2 == 0 ? "stdout" : "stderr", time, Encoding.UTF8.GetBytes($"line {n}"), Partial: false), buffer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static async Task<List<string>> ReadAsync(ContainerService service, string id, LogQuery query)
    {
        var lines = new List<string>();
        await foreach (var entry in service.ReadLogsAsync(id, query, CancellationToken.None))
            lines.Add(entry.Stream + ":" + entry.Log);
        return lines;
    }

    [Fact]
    public async Task ReadLogsAsync_LocalDriverFiles_ReadsRotatedThenLiveWithFilters()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var c = h.Create(host: s => s.LogDriver = "local");
        var live = h.Service.LogFileOf(c)!;
        Assert.EndsWith(Path.Combine("local-logs", "container.log"), live);
        Directory.CreateDirectory(Path.GetDirectoryName(live)!);
        using (var gz = new GZipStream(File.Create(live + ".2.gz"), CompressionLevel.Fastest))
            gz.Write(Records(1, 2));
        File.WriteAllBytes(live + ".1", Records(3, 4));
        var current = Records(5, 6);
        // A record the shim is still writing: its first half only, which must not be shown (nor fail the read).
        File.WriteAllBytes(live, [.. current, .. Records(7).AsSpan(0, 10)]);

        var all = new LogQuery(true, true, false, null, null, null);
        Assert.Equal(Enumerable.Range(1, 6).Select(n => $"{(n % 2 == 0 ? "stdout" : "stderr")}:line {n}\n"), await ReadAsync(h.Service, c.Id, all));
        Assert.Equal(["stderr:line 5\n", "stdout:line 6\n"], await ReadAsync(h.Service, c.Id, all with { Tail = 2 }));
        Assert.Equal(["stdout:line 2\n", "stderr:line 3\n"], await ReadAsync(h.Service, c.Id, all with { Since = T0.AddSeconds(2), Until = T0.AddSeconds(3) }));
        Assert.Equal(["stdout:line 2\n", "stdout:line 4\n", "stdout:line 6\n"], await ReadAsync(h.Service, c.Id, all with { Stderr = false }));
    }
}
