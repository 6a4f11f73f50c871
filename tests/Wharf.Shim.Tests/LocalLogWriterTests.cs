using System.Text;
using Wharf.Core.Logs;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Shim.Tests;

/// <summary>The "local" driver's writer: one framed record per line, 16 KiB pieces marked partial, rotation.</summary>
public sealed class LocalLogWriterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 1, 2, 3, TimeSpan.Zero);

    private static List<LocalLogRecord> Read(string path)
    {
        var data = File.ReadAllBytes(path).AsSpan();
        var records = new List<LocalLogRecord>();
        while (LocalLogCodec.TryDecode(data, out var record, out var consumed))
        {
            records.Add(record);
            data = data[consumed..];
        }
        Assert.True(data.IsEmpty, "the file ends on a record");
        return records;
    }

    [Fact]
    public void Write_LongLine_SplitIntoPartialPiecesTheLastMarkedLast()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("container.log");
        using (var writer = new LocalLogWriter(path, maxSize: 0, maxFiles: 1, compress: false))
        {
            writer.Write(OutputStream.Stderr, Encoding.ASCII.GetBytes(new string('z', 40_000) + "\nshort\n"), T0);
        }

        var records = Read(path);
        Assert.Equal([(16384, true, false), (16384, true, false), (7232, true, true), (5, false, false)],
            records.Select(r => (r.Line.Length, r.Partial, r.PartialLast)));
        Assert.All(records, r => Assert.Equal("stderr", r.Source));
        Assert.Equal(new string('z', 40_000) + "\nshort\n", string.Concat(records.Select(r => r.Text())));
    }

    [Fact]
    public void FlushPartialLines_Unterminated_WrittenPartialSoNoNewlineIsInvented()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("container.log");
        using (var writer = new LocalLogWriter(path, maxSize: 0, maxFiles: 1, compress: false))
        {
            writer.Write(OutputStream.Stdout, "no newline"u8, T0);
            writer.FlushPartialLines(T0);
        }

        var record = Assert.Single(Read(path));
        Assert.Equal("no newline", record.Text());
    }

    [Fact]
    public void Write_PastMaxSize_RotatesWithinTheLimit()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("container.log");
        using (var writer = new LocalLogWriter(path, maxSize: 500, maxFiles: 2, compress: false))
        {
            for (var i = 0; i < 50; i++)
                writer.Write(OutputStream.Stdout, Encoding.ASCII.GetBytes($"line-{i}\n"), T0);
        }

        Assert.Equal(["container.log", "container.log.1"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(Directory.GetFiles(dir.Path), f => Assert.True(new FileInfo(f).Length <= 500));
        var numbers = Read(path + ".1").Concat(Read(path)).Select(r => int.Parse(r.Text()[5..^1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(numbers[0], numbers.Count), numbers);
        Assert.Equal(49, numbers[^1]);
    }
}
