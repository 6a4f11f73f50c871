using System.Text;
using Wharf.Api.Streams;

namespace Wharf.Api.Tests;

public sealed class StdCopyTests
{
    [Fact]
    public async Task WriteFrameAsync_Stdout_WritesDockerHeader()
    {
        using var buffer = new MemoryStream();
        await StdCopy.WriteFrameAsync(buffer, StdStreamType.Stdout, "out\n"u8.ToArray());
        Assert.Equal(new byte[] { 1, 0, 0, 0, 0, 0, 0, 4, (byte)'o', (byte)'u', (byte)'t', (byte)'\n' }, buffer.ToArray());
    }

    [Fact]
    public async Task DemultiplexAsync_InterleavedFrames_RoutesToRightStreams()
    {
        using var wire = new MemoryStream();
        await StdCopy.WriteFrameAsync(wire, StdStreamType.Stdout, "hello "u8.ToArray());
        await StdCopy.WriteFrameAsync(wire, StdStreamType.Stderr, "oops\n"u8.ToArray());
        await StdCopy.WriteFrameAsync(wire, StdStreamType.Stdout, "world\n"u8.ToArray());
        wire.Position = 0;
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();

        var total = await StdCopy.DemultiplexAsync(wire, stdout, stderr);

        Assert.Equal("hello world\n", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal("oops\n", Encoding.UTF8.GetString(stderr.ToArray()));
        Assert.Equal(17, total);
    }

    [Fact]
    public async Task WriteFrameAsync_LargePayload_SplitsAndRoundTrips()
    {
        var payload = new byte[StdCopy.MaxFramePayload * 2 + 123];
        new Random(42).NextBytes(payload);
        using var wire = new MemoryStream();
        await StdCopy.WriteFrameAsync(wire, StdStreamType.Stderr, payload);
        Assert.Equal(payload.Length + 3 * StdCopy.HeaderSize, wire.Length);
        wire.Position = 0;
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();

        await StdCopy.DemultiplexAsync(wire, stdout, stderr);

        Assert.Equal(payload, stderr.ToArray());
        Assert.Equal(0, stdout.Length);
    }

    [Fact]
    public async Task DemultiplexAsync_SystemErrorFrame_Throws()
    {
        using var wire = new MemoryStream();
        await StdCopy.WriteFrameAsync(wire, StdStreamType.SystemError, "boom"u8.ToArray());
        wire.Position = 0;
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => StdCopy.DemultiplexAsync(wire, Stream.Null, Stream.Null));
        Assert.Contains("boom", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemultiplexAsync_TruncatedPayload_ThrowsInvalidData()
    {
        using var wire = new MemoryStream([1, 0, 0, 0, 0, 0, 0, 10, (byte)'x']);
        await Assert.ThrowsAsync<InvalidDataException>(() => StdCopy.DemultiplexAsync(wire, Stream.Null, Stream.Null));
    }
}
