using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Shim;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Shim.Tests;

/// <summary>The json-file writer: Docker's records, lines split at 16 KiB (so an endless line is bounded), rotation.</summary>
public sealed class JsonFileLogWriterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 1, 2, 3, TimeSpan.Zero);

    private static List<JsonLogEntry> Read(string path) =>
        File.ReadAllLines(path).Select(l => JsonSerializer.Deserialize(l, CoreJsonContext.Default.JsonLogEntry)!).ToList();

    [Fact]
    public void Write_LinesInPieces_OneRecordPerLineWithItsNewline()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("c-json.log");
        using (var writer = new JsonFileLogWriter(path))
        {
            writer.Write(OutputStream.Stdout, "hel"u8, T0);
            writer.Write(OutputStream.Stderr, "oops\n"u8, T0);
            writer.Write(OutputStream.Stdout, "lo\nwor"u8, T0.AddSeconds(1));
            writer.FlushPartialLines(T0.AddSeconds(2));
        }

        var records = Read(path);
        Assert.Equal([("stderr", "oops\n"), ("stdout", "hello\n"), ("stdout", "wor")], records.Select(r => (r.Stream, r.Log)));
        Assert.Equal(T0.AddSeconds(1), records[1].Time); // the chunk that completed the line
    }

    [Fact]
    public void Write_LineLongerThan16KiB_SplitsIntoRecordsWithOnlyTheLastEndingInNewline()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("c-json.log");
        var line = string.Concat(Enumerable.Range(0, 4000).Select(i => $"{i:D9},")); // 40,000 bytes
        using (var writer = new JsonFileLogWriter(path))
            writer.Write(OutputStream.Stdout, Encoding.ASCII.GetBytes(line + "\n"), T0);

        var records = Read(path);
        Assert.Equal([16384, 16384, 40000 - 32768 + 1], records.Select(r => r.Log.Length));
        Assert.All(records[..^1], r => Assert.DoesNotContain('\n', r.Log));
        Assert.Equal(line + "\n", string.Concat(records.Select(r => r.Log)));
    }

    [Fact]
    public void Write_EndlessLine_NeverKeepsMoreThan16KiBUnwritten()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("c-json.log");
        var chunk = new byte[32 * 1024];
        Array.Fill(chunk, (byte)'y');
        using var writer = new JsonFileLogWriter(path);
        long written = 0;
        for (var i = 0; i < 200; i++) // 6.4 MB without a newline
        {
            writer.Write(OutputStream.Stdout, chunk, T0);
            written += chunk.Length;
            if (i % 50 != 49)
                continue;
            var logged = Read(path).Sum(r => (long)r.Log.Length);
            Assert.InRange(written - logged, 0, JsonFileLogWriter.MaxLinePiece);
        }
    }

    [Fact]
    public void Write_MultiByteCharacterAtTheCut_IsNotSplit()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("c-json.log");
        var text = new string('a', JsonFileLogWriter.MaxLinePiece - 1) + "é€😀 end\n"; // 2-, 3- and 4-byte sequences across the cut
        using (var writer = new JsonFileLogWriter(path))
        {
            foreach (var b in Encoding.UTF8.GetBytes(text).Chunk(1000))
                writer.Write(OutputStream.Stdout, b, T0);
        }

        var records = Read(path);
        Assert.Equal(JsonFileLogWriter.MaxLinePiece - 1, records[0].Log.Length);
        Assert.Equal(text, string.Concat(records.Select(r => r.Log)));
        Assert.DoesNotContain(records, r => r.Log.Contains('\uFFFD', StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0x62 }, 2)]
    [InlineData(new byte[] { 0x61, 0xC3 }, 1)]
    [InlineData(new byte[] { 0x61, 0xE2, 0x82 }, 1)]
    [InlineData(new byte[] { 0x61, 0xE2, 0x82, 0xAC }, 4)]
    [InlineData(new byte[] { 0x61, 0xF0, 0x9F, 0x98 }, 1)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80 }, 5)]
    public void Utf8Boundary_TrailingSequence_CutsBeforeAnIncompleteOne(byte[] data, int expected) =>
        Assert.Equal(expected, JsonFileLogWriter.Utf8Boundary(data));

    [Fact]
    public void Write_PastMaxSize_RotatesKeepsMaxFilesAndCompresses()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("c-json.log");
        using (var writer = new JsonFileLogWriter(path, enabled: true, maxSize: 1000, maxFiles: 3, compress: true, attrs: []))
        {
            for (var i = 0; i < 100; i++)
                writer.Write(OutputStream.Stdout, Encoding.ASCII.GetBytes($"line-{i}\n"), T0);
        }

        Assert.Equal(["c-json.log", "c-json.log.1.gz", "c-json.log.2.gz"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(new FileInfo(path).Length <= 1000);
        using var gz = new StreamReader(new GZipStream(File.OpenRead(path + ".1.gz"), CompressionMode.Decompress));
        var rotated = gz.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var live = Read(path);
        var lastRotated = JsonSerializer.Deserialize(rotated[^1], CoreJsonContext.Default.JsonLogEntry)!;
        Assert.Equal($"line-{int.Parse(live[0].Log[5..^1], System.Globalization.CultureInfo.InvariantCulture) - 1}\n", lastRotated.Log);
        Assert.Equal("line-99\n", live[^1].Log);
    }

    [Fact]
    public void Write_RotationCannotMoveFilesAside_KeepsWritingTheLiveFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("c-json.log");
        Directory.CreateDirectory(path + ".1"); // what rotation must replace is a directory: every rotation fails
        File.WriteAllText(Path.Combine(path + ".1", "keep"), "x");
        using (var writer = new JsonFileLogWriter(path, enabled: true, maxSize: 200, maxFiles: 2, compress: false, attrs: []))
        {
            for (var i = 0; i < 20; i++)
                writer.Write(OutputStream.Stdout, Encoding.ASCII.GetBytes($"line-{i}\n"), T0);
        }

        Assert.Equal("line-19\n", Read(path)[^1].Log);
    }

    [Fact]
    public void Write_DriverNone_WritesNothing()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("c-json.log");
        using (var writer = new JsonFileLogWriter(path, enabled: false, maxSize: 0, maxFiles: 1, compress: false, attrs: []))
        {
            writer.Write(OutputStream.Stdout, "dropped\n"u8, T0);
            writer.FlushPartialLines(T0);
        }

        Assert.False(File.Exists(path));
    }
}
