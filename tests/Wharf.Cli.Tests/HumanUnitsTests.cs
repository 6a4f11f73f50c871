using Wharf.Cli.Output;

namespace Wharf.Cli.Tests;

public sealed class HumanUnitsTests
{
    [Theory]
    [InlineData(0.5, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(3, "3 seconds")]
    [InlineData(59, "59 seconds")]
    [InlineData(60, "About a minute")]
    [InlineData(119, "About a minute")]
    [InlineData(120, "2 minutes")]
    [InlineData(3599, "59 minutes")]
    [InlineData(3600, "About an hour")]
    [InlineData(5400, "2 hours")]
    [InlineData(47 * 3600, "47 hours")]
    [InlineData(48 * 3600, "2 days")]
    [InlineData(14 * 86400, "2 weeks")]
    [InlineData(60 * 86400, "2 months")]
    [InlineData(800 * 86400, "2 years")]
    public void Duration_MatchesGoUnits(double seconds, string expected)
    {
        Assert.Equal(expected, HumanUnits.Duration(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData(0, 4, "0B")]
    [InlineData(999, 4, "999B")]
    [InlineData(1000, 4, "1kB")]
    [InlineData(4_261_000, 3, "4.26MB")]
    [InlineData(4_261_000, 4, "4.261MB")]
    [InlineData(1_234_567_890, 3, "1.23GB")]
    [InlineData(123_456, 3, "123kB")]
    [InlineData(1_500, 3, "1.5kB")]
    public void Size_MatchesGoUnits(long bytes, int precision, string expected)
    {
        Assert.Equal(expected, HumanUnits.Size(bytes, precision));
    }

    [Fact]
    public void BinarySize_MemTotal_UsesGiB()
    {
        Assert.Equal("7.629GiB", HumanUnits.BinarySize(8_191_999_999));
    }

    [Fact]
    public void Ago_AddsSuffix()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_000_000);
        Assert.Equal("3 seconds ago", HumanUnits.Ago(999_997, now));
    }
}
