using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Filters;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

public sealed class StatusTextTests
{
    private static readonly DateTimeOffset s_now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0.5, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(59, "59 seconds")]
    [InlineData(60, "About a minute")]
    [InlineData(119, "About a minute")]
    [InlineData(120, "2 minutes")]
    [InlineData(59 * 60 + 59, "59 minutes")]
    [InlineData(60 * 60, "About an hour")]
    [InlineData(90 * 60 - 1, "About an hour")]
    [InlineData(90 * 60, "2 hours")]
    [InlineData(47 * 3600, "47 hours")]
    [InlineData(48 * 3600, "2 days")]
    [InlineData(13 * 86400, "13 days")]
    [InlineData(14 * 86400, "2 weeks")]
    [InlineData(59 * 86400, "8 weeks")]
    [InlineData(60 * 86400, "2 months")]
    [InlineData(729 * 86400, "24 months")]
    [InlineData(730 * 86400, "2 years")]
    public void HumanDuration_Thresholds_MatchGoUnits(double seconds, string expected)
    {
        Assert.Equal(expected, StatusText.HumanDuration(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void For_EachState_WordedLikeDocker()
    {
        Assert.Equal("Created", StatusText.For(new ContainerState(), s_now));
        Assert.Equal("Up 3 seconds", StatusText.For(Running(s_now.AddSeconds(-3)), s_now));
        Assert.Equal("Up About a minute", StatusText.For(Running(s_now.AddSeconds(-70)), s_now));
        Assert.Equal("Up 2 hours", StatusText.For(Running(s_now.AddHours(-2)), s_now));

        var paused = Running(s_now.AddMinutes(-5));
        paused.Status = ContainerStatus.Paused;
        paused.Paused = true;
        Assert.Equal("Up 5 minutes (Paused)", StatusText.For(paused, s_now));

        var exited = new ContainerState
        {
            Status = ContainerStatus.Exited,
            ExitCode = 0,
            StartedAt = s_now.AddMinutes(-1),
            FinishedAt = s_now.AddSeconds(-5),
        };
        Assert.Equal("Exited (0) 5 seconds ago", StatusText.For(exited, s_now));

        var restarting = new ContainerState
        {
            Status = ContainerStatus.Restarting,
            ExitCode = 1,
            FinishedAt = s_now.AddSeconds(-2),
        };
        Assert.Equal("Restarting (1) 2 seconds ago", StatusText.For(restarting, s_now));
        Assert.Equal("Removal In Progress", StatusText.For(new ContainerState { Status = ContainerStatus.Removing }, s_now));
        Assert.Equal("Dead", StatusText.For(new ContainerState { Status = ContainerStatus.Dead }, s_now));
    }

    [Fact]
    public void For_TimeProvider_UsesItsClock()
    {
        var time = new FixedClock(s_now);
        Assert.Equal("Up 3 seconds", StatusText.For(Running(s_now.AddSeconds(-3)), time));
    }

    private static ContainerState Running(DateTimeOffset startedAt) =>
        new() { Status = ContainerStatus.Running, Running = true, StartedAt = startedAt };

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
