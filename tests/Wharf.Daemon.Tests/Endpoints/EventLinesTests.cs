using System.Text;
using System.Text.Json;
using Wharf.Daemon.Endpoints;
using Wharf.Engine.Events;

namespace Wharf.Daemon.Tests.Endpoints;

public sealed class EventLinesTests
{
    private static EngineEvent Event(int i, string action = "start") =>
        new("container", action, $"id{i}", new Dictionary<string, string> { ["name"] = $"c{i}", ["image"] = "busybox" }, 1_000_000_000L * (i + 1));

    [Fact]
    public async Task Replay_WritesEveryMatchingEventInOrder_OneLineEach_InFarFewerWritesThanEvents()
    {
        var past = Enumerable.Range(0, 2000).Select(i => Event(i, i % 2 == 0 ? "start" : "create")).ToList();
        var body = new CountingStream();

        var more = await EventLines.WriteReplayAsync(body, past, e => e.Action == "start", long.MaxValue, legacyFields: false, CancellationToken.None);

        Assert.True(more);
        var lines = Encoding.UTF8.GetString(body.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1000, lines.Length);
        var ids = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("Actor").GetProperty("ID").GetString()).ToList();
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"id{2 * i}"), ids);
        // Whole lines per write (NDJSON readers need them), batched: not one write per event.
        Assert.All(body.Writes, w => Assert.Equal((byte)'\n', w[^1]));
        Assert.InRange(body.Writes.Count, 1, 1000 / 10);
        Assert.True(body.Flushed);
    }

    [Fact]
    public async Task Replay_StopsAtUntil_AndSaysTheStreamIsComplete()
    {
        var past = Enumerable.Range(0, 10).Select(i => Event(i)).ToList();
        var body = new CountingStream();

        var more = await EventLines.WriteReplayAsync(body, past, _ => true, untilNano: past[3].TimeNano, legacyFields: false, CancellationToken.None);

        Assert.False(more);
        var lines = Encoding.UTF8.GetString(body.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public async Task Replay_OfNothing_WritesNothing_ButFlushes()
    {
        var body = new CountingStream();
        Assert.True(await EventLines.WriteReplayAsync(body, [], _ => true, long.MaxValue, legacyFields: false, CancellationToken.None));
        Assert.Empty(body.Writes);
        Assert.True(body.Flushed);
    }

    [Fact]
    public async Task LegacyFields_AreKeptInTheReplay()
    {
        var body = new CountingStream();
        await EventLines.WriteReplayAsync(body, [Event(1)], _ => true, long.MaxValue, legacyFields: true, CancellationToken.None);
        var line = JsonDocument.Parse(Encoding.UTF8.GetString(body.ToArray())).RootElement;
        Assert.Equal("start", line.GetProperty("status").GetString());
        Assert.Equal("id1", line.GetProperty("id").GetString());
        Assert.Equal("busybox", line.GetProperty("from").GetString());
    }

    /// <summary>Records each write as its own buffer, as a chunked response turns each into a chunk.</summary>
    private sealed class CountingStream : MemoryStream
    {
        public List<byte[]> Writes { get; } = [];
        public bool Flushed { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.ToArray());
            return base.WriteAsync(buffer, cancellationToken);
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flushed = true;
            return base.FlushAsync(cancellationToken);
        }
    }
}
