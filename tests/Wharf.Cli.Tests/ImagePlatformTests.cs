using Wharf.Cli.Commands.Images;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Tests;

/// <summary>--platform on history, rmi, save and push against wharf's one-platform-per-image store.</summary>
public sealed class ImagePlatformTests
{
    [Theory]
    [InlineData("linux", "linux", "amd64", null, true)]
    [InlineData("linux/amd64", "linux", "amd64", null, true)]
    [InlineData("linux/x86_64", "linux", "amd64", null, true)]
    [InlineData("linux/arm64", "linux", "amd64", null, false)]
    [InlineData("linux/arm64/v8", "linux", "arm64", null, true)]
    [InlineData("linux/arm/v7", "linux", "arm", "v6", false)]
    [InlineData("windows/amd64", "linux", "amd64", null, false)]
    public void Matches_FollowsContainerdsNormalisation(string platform, string os, string architecture, string? variant, bool expected)
    {
        Assert.Equal(expected, ImagePlatform.Matches(platform, os, architecture, variant));
    }

    [Fact]
    public void Parse_Malformed_IsAUsageError()
    {
        Assert.Throws<CliUsageException>(() => ImagePlatform.Parse("linux//amd64"));
        Assert.Throws<CliUsageException>(() => ImagePlatform.Parse("a/b/c/d"));
    }

    private static FakeDaemon Daemon() => new((request, socket) => request.Path switch
    {
        "/v1.50/images/busybox/json" => FakeDaemon.RespondAsync(socket, 200, """{"Id":"sha256:aa","Os":"linux","Architecture":"amd64"}"""),
        "/v1.50/images/busybox/history" => FakeDaemon.RespondAsync(socket, 200, """[{"Id":"sha256:aa","Created":1,"CreatedBy":"x","Size":1}]"""),
        _ => FakeDaemon.RespondAsync(socket, 404, """{"message":"page not found"}"""),
    });

    [Fact]
    public async Task History_OtherPlatform_StopsAndSaysWhichPlatformTheImageHas()
    {
        await using var daemon = Daemon();

        var run = await CliRun.Async(daemon, ["history", "--platform", "linux/arm64", "busybox"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("image busybox has no linux/arm64 variant: it is linux/amd64", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(daemon.Requests, r => r.Path.EndsWith("/history", StringComparison.Ordinal));
    }

    [Fact]
    public async Task History_ItsOwnPlatform_GoesOnAsWithoutTheFlag()
    {
        await using var daemon = Daemon();

        var run = await CliRun.Async(daemon, ["history", "--platform", "linux/amd64", "-q", "busybox"]);

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Equal("aa\n", run.Out);
    }

    [Fact]
    public async Task Rmi_OtherPlatform_RemovesNothing()
    {
        await using var daemon = Daemon();

        var run = await CliRun.Async(daemon, ["rmi", "--platform", "linux/arm64", "busybox"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.DoesNotContain(daemon.Requests, r => r.Method == "DELETE");
    }
}
