using Wharf.Core.Errors;
using Wharf.Engine.Images;
using Xunit;

namespace Wharf.Engine.Tests.Images;

/// <summary>The "platform" parameter of build, pull and create, parsed as Docker parses it (containerd's platform
/// specifiers), with its error wording.</summary>
public sealed class PlatformSpecTests
{
    [Theory]
    [InlineData("linux/amd64", "linux", "amd64", null)]
    [InlineData("Linux/x86_64", "linux", "amd64", null)]
    [InlineData("linux/aarch64", "linux", "arm64", null)]
    [InlineData("linux/arm64/8", "linux", "arm64", "v8")]
    [InlineData("linux/arm64/v8", "linux", "arm64", "v8")]
    [InlineData("linux/arm", "linux", "arm", null)]
    [InlineData("linux/armhf", "linux", "arm", null)]
    [InlineData("linux/arm/v6", "linux", "arm", "v6")]
    [InlineData("linux/armel", "linux", "arm", "v6")]
    [InlineData("linux/i386", "linux", "386", null)]
    [InlineData("windows/amd64", "windows", "amd64", null)]
    [InlineData("macos/arm64", "darwin", "arm64", null)]
    [InlineData("s390x", "linux", "s390x", null)]
    [InlineData("riscv64", "linux", "riscv64", null)]
    public void Parse_KnownForms_NormalisedAsDocker(string specifier, string os, string architecture, string? variant)
    {
        Assert.Equal(new PlatformSpec(os, architecture, variant), PlatformSpec.Parse(specifier));
    }

    [Fact]
    public void Parse_AnOperatingSystemAlone_TakesTheHostsArchitecture_AndBlankIsTheHost()
    {
        Assert.Equal(new PlatformSpec("linux", PlatformSpec.HostArchitecture, null), PlatformSpec.Parse("linux"));
        Assert.Equal(PlatformSpec.Host, PlatformSpec.Parse(null));
        Assert.Equal(PlatformSpec.Host, PlatformSpec.Parse(" "));
    }

    [Theory]
    [InlineData("foobar", "\"foobar\": unknown operating system or architecture: invalid argument")]
    [InlineData("linux/amd64/v2/x", "\"linux/amd64/v2/x\": cannot parse platform specifier: invalid argument")]
    [InlineData("linux/*", "\"linux/*\": wildcards not yet supported: invalid argument")]
    [InlineData("linux//amd64", "\"\" is an invalid component of \"linux//amd64\": platform specifier component must match \"^[A-Za-z0-9_-]+$\": invalid argument")]
    [InlineData("lin ux", "\"lin ux\" is an invalid component of \"lin ux\": platform specifier component must match \"^[A-Za-z0-9_-]+$\": invalid argument")]
    public void Parse_Malformed_IsAnInvalidArgument_WithDockersWording(string specifier, string message)
    {
        var e = Assert.Throws<EngineException>(() => PlatformSpec.Parse(specifier));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ParseRunnable_AnotherOperatingSystem_IsRefused()
    {
        var e = Assert.Throws<EngineException>(() => PlatformSpec.ParseRunnable("windows/amd64"));
        Assert.Equal("unsupported os windows", e.Message);
        Assert.Equal("linux/arm64", PlatformSpec.ParseRunnable("linux/arm64").ToString());
    }
}
