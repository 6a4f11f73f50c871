using Wharf.Cli.Commands.Containers;
using Wharf.Cli.Commands;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Tests;

/// <summary>run/create flags for restart policies, --init, stop signal/timeout and health checks.</summary>
public sealed class LifecycleOptionsTests
{
    private static Api.Containers.ContainerCreateRequest Build(params string[] args) =>
        ContainerOptions.Build(ArgParser.Parse(args, ContainerOptions.RunSpecs, true), ArgParser.Parse(args, ContainerOptions.RunSpecs, true).Flag("detach"),
            _ => null, _ => []);

    [Fact]
    public void Build_HealthFlags_BecomeACmdShellCheckInNanoseconds()
    {
        var request = Build("--health-cmd", "test -f /ok", "--health-interval", "2s", "--health-timeout", "500ms",
            "--health-start-period", "1m", "--health-start-interval", "1s", "--health-retries", "4", "busybox");
        var check = request.Healthcheck!;
        Assert.Equal(["CMD-SHELL", "test -f /ok"], check.Test!);
        Assert.Equal(2_000_000_000L, check.Interval);
        Assert.Equal(500_000_000L, check.Timeout);
        Assert.Equal(60_000_000_000L, check.StartPeriod);
        Assert.Equal(1_000_000_000L, check.StartInterval);
        Assert.Equal(4, check.Retries);
    }

    [Fact]
    public void Build_DurationWithoutCmd_KeepsTheImageTest()
    {
        var check = Build("--health-interval", "3s", "busybox").Healthcheck!;
        Assert.Null(check.Test);
        Assert.Equal(3_000_000_000L, check.Interval);
        Assert.Null(Build("busybox").Healthcheck);
        Assert.Equal(["NONE"], Build("--no-healthcheck", "busybox").Healthcheck!.Test!);
    }

    [Theory]
    [InlineData(new[] { "--no-healthcheck", "--health-cmd", "true", "busybox" }, "--no-healthcheck conflicts with --health-* options")]
    [InlineData(new[] { "--health-retries", "-1", "--health-cmd", "true", "busybox" }, "--health-retries cannot be negative")]
    [InlineData(new[] { "--health-interval", "soon", "busybox" }, "invalid argument \"soon\" for \"--health-interval\" flag")]
    [InlineData(new[] { "--rm", "--restart", "always", "busybox" }, "conflicting options: cannot specify both --restart and --rm")]
    public void Build_BadLifecycleFlags_AreUsageErrors(string[] args, string message)
    {
        var e = Assert.Throws<CliUsageException>(() => Build(args));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Build_InitStopSignalAndTimeout_AreSentOnlyWhenGiven()
    {
        var plain = Build("busybox");
        Assert.Null(plain.HostConfig!.Init);
        Assert.Null(plain.StopTimeout);
        var request = Build("--init", "--stop-signal", "USR1", "--stop-timeout", "3", "--restart", "unless-stopped", "busybox");
        Assert.True(request.HostConfig!.Init);
        Assert.Equal("USR1", request.StopSignal);
        Assert.Equal(3, request.StopTimeout);
        Assert.Equal("unless-stopped", request.HostConfig.RestartPolicy!.Name);
        Assert.True(Build("--rm", "--restart", "no", "busybox").HostConfig!.AutoRemove);
    }
}
