using System.Text;
using Wharf.Core;

namespace Wharf.Core.Tests;

public sealed class DigestTests
{
    [Fact]
    public void Compute_KnownInput_MatchesSha256()
    {
        var digest = Digest.Compute(Encoding.UTF8.GetBytes("abc"));
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", digest.Value);
        Assert.Equal(digest.Value[7..], digest.Hex);
    }

    [Theory]
    [InlineData("sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")]
    [InlineData("sha256:abc")]
    [InlineData("sha512:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("")]
    public void TryParse_Malformed_IsRejected(string text)
    {
        Assert.False(Digest.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Digest.Parse(text));
    }
}
