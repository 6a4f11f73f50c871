using System.Globalization;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Tests;

public sealed class ParsingHelpersTests
{
    [Theory]
    [InlineData("busybox", "docker.io/library/busybox", "latest", null, "busybox:latest")]
    [InlineData("busybox:1.36", "docker.io/library/busybox", "1.36", null, "busybox:1.36")]
    [InlineData("user/app", "docker.io/user/app", "latest", null, "user/app:latest")]
    [InlineData("localhost:5000/app:v1", "localhost:5000/app", "v1", null, "localhost:5000/app:v1")]
    [InlineData("quay.io/x/y@sha256:abc", "quay.io/x/y", null, "sha256:abc", "quay.io/x/y@sha256:abc")]
    public void ImageRef_Parse_Normalizes(string input, string repository, string? tag, string? digest, string familiar)
    {
        var reference = ImageRef.Parse(input);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest);
        Assert.Equal(familiar, reference.Familiar);
    }

    [Theory]
    [InlineData("1h30m", 5400)]
    [InlineData("10s", 10)]
    [InlineData("1.5h", 5400)]
    [InlineData("300ms", 0.3)]
    public void GoDuration_Parses(string text, double seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds, 6);
    }

    [Fact]
    public void GoDuration_Garbage_Fails()
    {
        Assert.False(GoDuration.TryParse("10x", out _));
        Assert.False(GoDuration.TryParse("", out _));
    }

    [Fact]
    public void TimeArg_Duration_IsRelativeToNow()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        Assert.Equal("1699999400.000000000", TimeArg.ToUnixTimestamp("10m", now));
    }

    [Fact]
    public void TimeArg_UnixSeconds_PassThrough()
    {
        Assert.Equal("1700000000", TimeArg.ToUnixTimestamp("1700000000", DateTimeOffset.UnixEpoch));
        Assert.Equal("1700000000.5", TimeArg.ToUnixTimestamp("1700000000.5", DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void TimeArg_Rfc3339_IsAbsolute()
    {
        Assert.Equal("1700000000.000000000", TimeArg.ToUnixTimestamp("2023-11-14T22:13:20Z", DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void EnvFile_Parse_SkipsCommentsAndExpandsBareNames()
    {
        var result = EnvFile.Parse(["# c", "", "A=1", "  B=x y", "HOME_X", "MISSING"], k => k == "HOME_X" ? "/h" : null);
        Assert.Equal(["A=1", "B=x y", "HOME_X=/h"], result);
    }

    [Theory]
    [InlineData("512m", 512L * 1024 * 1024)]
    [InlineData("1g", 1L << 30)]
    [InlineData("1024", 1024)]
    [InlineData("2kb", 2048)]
    public void ByteSize_Parse_BinaryUnits(string text, long expected)
    {
        Assert.Equal(expected, ByteSize.Parse(text, "--memory"));
    }

    [Fact]
    public void ParsedArgs_Int_BadNumber_Throws()
    {
        var parsed = ArgParser.Parse(["-n", "x"], [OptionSpec.Value("last", 'n')]);
        Assert.Throws<CliUsageException>(() => parsed.Int("last"));
        Assert.Equal(3, ArgParser.Parse(["-n", "3"], [OptionSpec.Value("last", 'n')]).Int("last"));
        _ = CultureInfo.InvariantCulture;
    }
}
