using Wharf.Api.Streams;

namespace Wharf.Api.Tests;

public sealed class DetachKeysTests
{
    [Theory]
    [InlineData("ctrl-p,ctrl-q", new byte[] { 0x10, 0x11 })]
    [InlineData("ctrl-a", new byte[] { 0x01 })]
    [InlineData("a,ctrl-@,ctrl-[,ctrl-_", new byte[] { (byte)'a', 0x00, 0x1b, 0x1f })]
    [InlineData("CTRL-X,y", new byte[] { 0x18, (byte)'y' })]
    public void Parse_ValidKeys_GivesTheBytes(string keys, byte[] expected) =>
        Assert.Equal(expected, DetachKeys.Parse(keys));

    [Theory]
    [InlineData("ctrl-")]
    [InlineData("ctrl-1")]
    [InlineData("ab")]
    [InlineData("")]
    public void Parse_InvalidKeys_IsRejectedInDockersWords(string keys)
    {
        var e = Assert.Throws<FormatException>(() => DetachKeys.Parse(keys));
        Assert.Equal($"Invalid detach keys ({keys}) provided", e.Message);
    }

    [Fact]
    public void Resolve_PrefersRequest_ThenFallback_ThenDefault()
    {
        Assert.Equal(new byte[] { 1 }, DetachKeys.Resolve("ctrl-a", "ctrl-b"));
        Assert.Equal(new byte[] { 2 }, DetachKeys.Resolve(null, "ctrl-b"));
        Assert.Equal(new byte[] { 0x10, 0x11 }, DetachKeys.Resolve("", null));
    }

    [Fact]
    public void Filter_SequenceSplitAcrossChunks_DetachesAndNeverLeaksIt()
    {
        var scanner = new DetachKeyScanner([0x10, 0x11]);
        var output = new byte[64];

        var n1 = scanner.Filter("ab\x10"u8, output, out var d1);
        Assert.False(d1);
        Assert.Equal("ab"u8.ToArray(), output[..n1]);

        var n2 = scanner.Filter("\x11zz"u8, output, out var d2);
        Assert.True(d2);
        Assert.Equal(0, n2);
    }

    [Fact]
    public void Filter_FalseStart_ReleasesHeldBytesInOrder()
    {
        var scanner = new DetachKeyScanner([0x10, 0x11]);
        var output = new byte[64];

        var n = scanner.Filter("\x10x\x10\x10"u8, output, out var detached);
        Assert.False(detached);
        Assert.Equal("\x10x\x10"u8.ToArray(), output[..n]); // the last 0x10 is held: it may start the sequence

        n = scanner.Filter("y"u8, output, out detached);
        Assert.False(detached);
        Assert.Equal("\x10y"u8.ToArray(), output[..n]);
    }
}
