using System.Buffers;
using System.IO.Compression;
using System.Text;
using Wharf.Core.Logs;
using Wharf.Core.Shim;
using Wharf.Engine.Containers.Logs;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Containers.Logs;

/// <summary>The backlog `docker logs` shows before following: with a tail, read from the end of the newest file
/// backwards, into older (rotated, gzipped) files only as far as needed, with bounded memory; following then goes on
/// from exactly where the tail stopped.</summary>
public sealed class LogBacklogTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    private static string Line(int n) =>
        $"{{\"log\":\"line {n}\\n\",\"stream\":\"stdout\",\"time\":\"{T0.AddSeconds(n).UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffff}00Z\"}}\n";

    private static string Lines(int from, int to) => string.Concat(Enumerable.Range(from, to - from + 1).Select(Line));

    private static FileStream Open(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    private static List<string> Read(string path, string driver, int? tail, out LogBacklog backlog, FileStream live)
    {
        backlog = new LogBacklog(path, driver, live, tail, _ => true);
        return backlog.Read().Select(e => e.Log.TrimEnd('\n')).ToList();
    }

    [Fact]
    public void Read_TailReachingIntoRotatedFiles_TakesOnlyWhatIsMissingFromEach()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("c-json.log");
        File.WriteAllText(path + ".3", Lines(1, 10));
        using (var gz = new GZipStream(File.Create(path + ".2.gz"), CompressionLevel.Fastest))
            gz.Write(Encoding.UTF8.GetBytes(Lines(11, 20)));
        File.WriteAllText(path + ".1", Lines(21, 30));
        File.WriteAllText(path, Lines(31, 33));
        using var live = Open(path);

        var lines = Read(path, "json-file", 16, out _, live);

        Assert.Equal(Enumerable.Range(18, 16).Select(n => $"line {n}"), lines);
    }

    [Fact]
    public void Read_TailOfA30MBLog_AllocatesAFewChunksNotTheLog()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("c-json.log");
        using (var writer = new StreamWriter(path))
        {
            for (var i = 1; i <= 400_000; i++)
                writer.Write(Line(i));
        }
        Assert.True(new FileInfo(path).Length > 30_000_000);
        using var live = Open(path);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var lines = Read(path, "json-file", 1, out _, live);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(["line 400000"], lines);
        Assert.True(allocated < 2_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void LiveReader_AfterATail_FollowsFromTheEndOfTheLastCompleteLine()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("c-json.log");
        var third = Line(3);
        File.WriteAllText(path, Lines(1, 2) + third[..10]);
        using var live = Open(path);

        var lines = Read(path, "json-file", 1, out var backlog, live);
        File.AppendAllText(path, third[10..] + Line(4));

        Assert.Equal(["line 2"], lines);
        Assert.Equal(["line 3\n", "line 4\n"], backlog.LiveReader.ReadAvailable().Select(e => e.Log));
    }

    [Fact]
    public void LiveReader_AfterTheBacklog_ReadsAllThatIsThereNotABatch()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("c-json.log");
        File.WriteAllText(path, Lines(1, 2));
        using var live = Open(path);
        Assert.Equal(["line 1", "line 2"], Read(path, "json-file", null, out var backlog, live));

        File.AppendAllText(path, Lines(3, 40_002)); // about 3 MB: more than one backlog batch

        Assert.Equal(40_000, backlog.LiveReader.ReadAvailable().Count);
    }

    [Fact]
    public void Read_NoTail_EveryFileOldestFirst()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("c-json.log");
        File.WriteAllText(path + ".1", Lines(1, 3));
        File.WriteAllText(path, Lines(4, 5));
        using var live = Open(path);

        Assert.Equal(Enumerable.Range(1, 5).Select(n => $"line {n}"), Read(path, "json-file", null, out _, live));
    }

    private static byte[] LocalRecords(int from, int to)
    {
        var buffer = new ArrayBufferWriter<byte>();
        for (var n = from; n <= to; n++)
            LocalLogCodec.Encode(new LocalLogRecord("stdout", LocalLogRecord.ToUnixNanos(T0.AddSeconds(n)), Encoding.UTF8.GetBytes($"line {n}"), Partial: false), buffer);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Read_LocalDriverTail_WalksRecordsBackwardsAcrossRotation()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("container.log");
        File.WriteAllBytes(path + ".1", LocalRecords(1, 10));
        File.WriteAllBytes(path, LocalRecords(11, 12));
        using var live = Open(path);

        Assert.Equal(["line 9", "line 10", "line 11", "line 12"], Read(path, "local", 4, out _, live));
    }

    [Fact]
    public void Read_LocalDriverTailWithARecordHalfWritten_ReadsForwardsAndFollowsOn()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("container.log");
        var next = LocalRecords(4, 4);
        File.WriteAllBytes(path, [.. LocalRecords(1, 3), .. next[..5]]);
        using var live = Open(path);

        var lines = Read(path, "local", 2, out var backlog, live);
        using (var append = new FileStream(path, FileMode.Append))
            append.Write(next.AsSpan(5));

        Assert.Equal(["line 2", "line 3"], lines);
        Assert.Equal(["line 4\n"], backlog.LiveReader.ReadAvailable().Select(e => e.Log));
    }

    [Fact]
    public void LocalTryReadLast_RecordsIntact_ReadsOnlyWhatIsAsked()
    {
        using var data = new MemoryStream(LocalRecords(1, 1000));

        var result = LocalLogTailReader.TryReadLast(data, data.Length, 2, (JsonLogEntry _) => true);

        Assert.NotNull(result);
        Assert.Equal(["line 999\n", "line 1000\n"], result.Entries.Select(e => e.Log));
        Assert.Equal(data.Length, result.CompleteEnd);
    }
}
