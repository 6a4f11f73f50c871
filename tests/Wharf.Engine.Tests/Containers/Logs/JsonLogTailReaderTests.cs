using System.Text;
using Wharf.Core.Shim;
using Wharf.Engine.Containers.Logs;
using Xunit;

namespace Wharf.Engine.Tests.Containers.Logs;

/// <summary>`logs --tail` on json-file logs: read backwards from the end, only as far as needed.</summary>
public sealed class JsonLogTailReaderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    private static string Line(int n, string? text = null) =>
        $"{{\"log\":\"{text ?? $"line {n}"}\\n\",\"stream\":\"{(n % 2 == 0 ? "stdout" : "stderr")}\",\"time\":\"{T0.AddSeconds(n).UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffff}00Z\"}}\n";

    private static MemoryStream File(IEnumerable<string> lines) => new(Encoding.UTF8.GetBytes(string.Concat(lines)));

    private static List<string> Texts(TailResult result) => result.Entries.Select(e => e.Log.TrimEnd('\n')).ToList();

    private static bool All(JsonLogEntry _) => true;

    [Fact]
    public void ReadLast_BigFile_ReturnsTheLastLinesOldestFirstReadingOnlyItsEnd()
    {
        using var data = File(Enumerable.Range(1, 100_000).Select(n => Line(n)));
        using var counting = new CountingStream(data);

        var result = JsonLogTailReader.ReadLast(counting, data.Length, 3, All);

        Assert.Equal(["line 99998", "line 99999", "line 100000"], Texts(result));
        Assert.Equal(data.Length, result.CompleteEnd);
        Assert.True(counting.BytesRead <= JsonLogTailReader.Chunk, $"read {counting.BytesRead} of {data.Length} bytes");
    }

    [Fact]
    public void ReadLast_LineStillBeingWritten_IsLeftForTheFollower()
    {
        var complete = Line(1) + Line(2);
        using var data = new MemoryStream(Encoding.UTF8.GetBytes(complete + "{\"log\":\"half"));

        var result = JsonLogTailReader.ReadLast(data, data.Length, 5, All);

        Assert.Equal(["line 1", "line 2"], Texts(result));
        Assert.Equal(Encoding.UTF8.GetByteCount(complete), result.CompleteEnd);
    }

    [Fact]
    public void ReadLast_LinesLongerThanAChunk_AreReadWhole()
    {
        var big = new string('b', 150_000);
        using var data = File([Line(1), Line(2, big), Line(3, big + "!"), Line(4)]);

        var result = JsonLogTailReader.ReadLast(data, data.Length, 3, All);

        Assert.Equal([big, big + "!", "line 4"], Texts(result));
    }

    [Fact]
    public void ReadLast_LineBeyondTheLimit_IsSkippedNotLoaded()
    {
        using var data = File([Line(1), Line(2, new string('x', JsonLogTailReader.MaxLine + 10)), Line(3), "{torn\n", Line(4)]);

        var result = JsonLogTailReader.ReadLast(data, data.Length, 10, All);

        Assert.Equal(["line 1", "line 3", "line 4"], Texts(result));
    }

    [Fact]
    public void ReadLast_Filter_CountsOnlyMatchingLines()
    {
        using var data = File(Enumerable.Range(1, 50).Select(n => Line(n)));

        var result = JsonLogTailReader.ReadLast(data, data.Length, 2, e => e.Stream == "stderr");

        Assert.Equal(["line 47", "line 49"], Texts(result));
    }

    [Fact]
    public void ReadLast_MoreThanTheFileHas_ReturnsEveryLineIncludingTheFirst()
    {
        using var data = File(Enumerable.Range(1, 4).Select(n => Line(n)));

        Assert.Equal(["line 1", "line 2", "line 3", "line 4"], Texts(JsonLogTailReader.ReadLast(data, data.Length, 100, All)));
    }

    [Fact]
    public void ReadLast_Zero_ReturnsNothingButFindsWhereToFollowFrom()
    {
        var complete = Line(1);
        using var data = new MemoryStream(Encoding.UTF8.GetBytes(complete + "{\"lo"));

        var result = JsonLogTailReader.ReadLast(data, data.Length, 0, All);

        Assert.Empty(result.Entries);
        Assert.Equal(Encoding.UTF8.GetByteCount(complete), result.CompleteEnd);
    }

    [Fact]
    public void ReadLast_EmptyOrNoCompleteLine_ReturnsNothingFromZero()
    {
        using var data = new MemoryStream(Encoding.UTF8.GetBytes("{\"log\":\"no newline yet"));

        var result = JsonLogTailReader.ReadLast(data, data.Length, 3, All);

        Assert.Empty(result.Entries);
        Assert.Equal(0, result.CompleteEnd);
    }

    /// <summary>Counts what is read through it.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
