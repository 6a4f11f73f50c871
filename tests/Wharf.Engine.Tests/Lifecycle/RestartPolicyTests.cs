using Wharf.Engine.Containers.Restart;
using Xunit;

namespace Wharf.Engine.Tests.Lifecycle;

/// <summary>Restart policies, back-off and cancellation, on a manual clock.</summary>
public sealed class RestartPolicyTests
{
    [Theory]
    [InlineData("no", 0, 0, 1, false, false)]
    [InlineData("always", 0, 0, 0, false, true)]
    [InlineData("always", 0, 0, 0, true, true)]
    [InlineData("unless-stopped", 0, 0, 0, false, true)]
    [InlineData("unless-stopped", 0, 0, 1, true, false)]
    [InlineData("on-failure", 0, 0, 0, false, false)]
    [InlineData("on-failure", 0, 50, 3, false, true)]
    [InlineData("on-failure", 2, 1, 1, false, true)]
    [InlineData("on-failure", 2, 2, 1, false, false)]
    [InlineData("on-failure", 2, 0, 137, true, true)]
    public void ShouldRestart_FollowsDockersPolicies(string policy, int max, int count, int exitCode, bool manual, bool expected) =>
        Assert.Equal(expected, RestartPolicyDecider.ShouldRestart(policy, max, count, exitCode, manual));

    [Fact]
    public void Backoff_DoublesFrom100msCapsAtAMinuteAndResetsAfterTenSecondsOfRunning()
    {
        var backoff = new RestartBackoff();
        var quick = TimeSpan.FromMilliseconds(50);
        Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.Next(quick));
        Assert.Equal(TimeSpan.FromMilliseconds(200), backoff.Next(quick));
        Assert.Equal(TimeSpan.FromMilliseconds(400), backoff.Next(quick));
        for (var i = 0; i < 12; i++) backoff.Next(quick);
        Assert.Equal(TimeSpan.FromMinutes(1), backoff.Next(quick));
        Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.Next(TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.FromMilliseconds(200), backoff.Next(TimeSpan.FromSeconds(9)));
    }

    [Fact]
    public void OnExit_OnFailureWithLimit_StopsAfterMaximumRetries()
    {
        var supervisor = new RestartSupervisor(new ManualTimeProvider());
        var quick = TimeSpan.FromMilliseconds(10);
        Assert.Equal(TimeSpan.FromMilliseconds(100), supervisor.OnExit("c", "on-failure", 2, 0, 1, false, quick));
        Assert.Equal(TimeSpan.FromMilliseconds(200), supervisor.OnExit("c", "on-failure", 2, 1, 1, false, quick));
        Assert.Null(supervisor.OnExit("c", "on-failure", 2, 2, 1, false, quick));
        Assert.Null(supervisor.OnExit("other", "on-failure", 2, 0, 0, false, quick));
    }

    [Fact]
    public void ExitOnNext_MakesTheNextExitFinal_UntilTheUserStartsAgain()
    {
        var supervisor = new RestartSupervisor(new ManualTimeProvider());
        supervisor.ExitOnNext("c");
        Assert.Null(supervisor.OnExit("c", "always", 0, 0, 0, true, TimeSpan.Zero));
        supervisor.Reset("c");
        Assert.Equal(TimeSpan.FromMilliseconds(100), supervisor.OnExit("c", "always", 0, 0, 0, false, TimeSpan.Zero));
    }

    [Fact]
    public async Task WaitAsync_CompletesWhenTheBackoffHasPassedOnTheClock()
    {
        var time = new ManualTimeProvider();
        var supervisor = new RestartSupervisor(time);
        var wait = supervisor.WaitAsync("c", TimeSpan.FromMilliseconds(400), CancellationToken.None);
        await time.WaitForTimersAsync();
        Assert.True(supervisor.IsWaiting("c"));
        time.Advance(TimeSpan.FromMilliseconds(399));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(supervisor.IsWaiting("c"));
    }

    [Fact]
    public async Task WaitAsync_CancelledByAUsersStopOrShutdown_ReturnsFalse()
    {
        var time = new ManualTimeProvider();
        var supervisor = new RestartSupervisor(time);
        var stopped = supervisor.WaitAsync("c", TimeSpan.FromMinutes(1), CancellationToken.None);
        await time.WaitForTimersAsync();
        supervisor.ExitOnNext("c");
        Assert.False(await stopped.WaitAsync(TimeSpan.FromSeconds(5)));

        using var shutdown = new CancellationTokenSource();
        var other = supervisor.WaitAsync("d", TimeSpan.FromMinutes(1), shutdown.Token);
        await shutdown.CancelAsync();
        Assert.False(await other.WaitAsync(TimeSpan.FromSeconds(5)));

        // Once told to exit, a later wait does not even start.
        Assert.False(await supervisor.WaitAsync("c", TimeSpan.FromMilliseconds(1), CancellationToken.None));
    }
}
