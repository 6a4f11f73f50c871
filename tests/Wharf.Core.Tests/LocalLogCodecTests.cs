using System.Buffers;
using System.Text;
using Wharf.Core.Logs;
using Xunit;

namespace Wharf.Core.Tests;

/// <summary>Docker's "local" log record framing, byte for byte: [size BE32][protobuf LogEntry][size BE32]. The
/// expected bytes were worked out by hand from the protobuf wire format, not produced by the code under test.</summary>
public sealed class LocalLogCodecTests
{
    private const long Nanos = 1_700_000_000_123_456_700;

    // size 0x19 | 0a 06 "stdout" | 10 varint(Nanos) | 1a 05 "hello" | size 0x19
    private const string HelloStdout = "000000190a067374646f757410bc9997ece39fe7cb171a0568656c6c6f00000019";

    // size 0x1d | 0a 06 "stderr" | 10 varint(Nanos) | 1a 03 "abc" | 20 01 (partial) | 2a 02 08 01 (metadata last) | size 0x1d
    private const string PartialLastStderr = "0000001d0a0673746465727210bc9997ece39fe7cb171a0361626320012a0208010000001d";

    private static byte[] Encode(LocalLogRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        LocalLogCodec.Encode(record, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Encode_WholeLine_WritesDockersExactBytes()
    {
        var bytes = Encode(new LocalLogRecord("stdout", Nanos, "hello"u8.ToArray(), Partial: false));

        Assert.Equal(HelloStdout, Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Encode_LastPieceOfSplitLine_WritesPartialFlagAndMetadata()
    {
        var bytes = Encode(new LocalLogRecord("stderr", Nanos, "abc"u8.ToArray(), Partial: true, PartialLast: true));

        Assert.Equal(PartialLastStderr, Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void TryDecode_TwoRecords_RoundTripsAndAppliesDockersNewlineRule()
    {
        var data = Convert.FromHexString(HelloStdout + PartialLastStderr);

        Assert.True(LocalLogCodec.TryDecode(data, out var first, out var consumed));
        Assert.Equal(33, consumed);
        Assert.Equal("stdout", first.Source);
        Assert.Equal(Nanos, first.TimeNano);
        Assert.Equal(new DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero).AddTicks(1_234_567), first.Time);
        Assert.Equal("hello\n", first.Text());

        Assert.True(LocalLogCodec.TryDecode(data.AsSpan(consumed), out var second, out _));
        Assert.True(second.Partial);
        Assert.True(second.PartialLast);
        Assert.Equal("abc\n", second.Text());
        Assert.Equal("abc", new LocalLogRecord("stdout", 1, "abc"u8.ToArray(), Partial: true).Text());
    }

    [Fact]
    public void TryDecode_RecordStillBeingWritten_AsksForMore()
    {
        var data = Convert.FromHexString(HelloStdout);

        for (var cut = 0; cut < data.Length; cut++)
            Assert.False(LocalLogCodec.TryDecode(data.AsSpan(0, cut), out _, out _));
    }

    [Fact]
    public void TryDecode_FooterDisagreesWithHeader_IsInvalidData()
    {
        var data = Convert.FromHexString(HelloStdout);
        data[^1] = 0x18;

        Assert.Throws<InvalidDataException>(() => LocalLogCodec.TryDecode(data, out _, out _));
    }

    [Fact]
    public void TryDecode_UnknownFieldsAndEmptyMessage_AreSkipped()
    {
        // attrs (field 6: {key "k", value "v"}) from newer Docker, then an all-defaults record.
        var message = Convert.FromHexString("1a026869" + "3206" + "0a016b120176");
        var framed = new byte[message.Length + 8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(framed, (uint)message.Length);
        message.CopyTo(framed, 4);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(4 + message.Length), (uint)message.Length);

        Assert.True(LocalLogCodec.TryDecode(framed, out var record, out _));
        Assert.Equal("hi", Encoding.ASCII.GetString(record.Line));
        Assert.Equal("", record.Source);

        Assert.True(LocalLogCodec.TryDecode(new byte[8], out var empty, out var consumed));
        Assert.Equal(8, consumed);
        Assert.Empty(empty.Line);
    }
}
