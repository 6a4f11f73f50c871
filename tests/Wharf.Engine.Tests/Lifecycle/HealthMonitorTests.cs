using System.Collections.Concurrent;
using Wharf.Engine.Containers.Health;
using Xunit;

namespace Wharf.Engine.Tests.Lifecycle;

/// <summary>The health monitor's schedule and state machine, with a scripted probe runner on a manual clock.</summary>
public sealed class HealthMonitorTests
{
    private static readonly string[] s_command = ["/bin/sh", "-c", "test -f /tmp/ok"];

    [Fact]
    public async Task Monitor_ProbesEveryInterval_TurnsUnhealthyAfterRetriesAndHealthyOnSuccess()
    {
        var time = new ManualTimeProvider();
        var runner = new ScriptedRunner(new ProbeOutcome(1, "no\n"), new ProbeOutcome(1, "no\n"), new ProbeOutcome(0, "yes\n"));
        var reports = new List<(string Status, int Streak, bool Changed)>();
        var settings = new HealthcheckSettings { Test = ["CMD-SHELL", "test -f /tmp/ok"], Interval = Seconds(10), Retries = 2 };
        using var monitor = new HealthMonitor("c1", settings, s_command, time.GetUtcNow(), new HealthReport(), runner, time,
            (_, report, changed) => { lock (reports) reports.Add((report.Status, report.FailingStreak, changed)); return Task.CompletedTask; });
        monitor.Start();

        await time.WaitForTimersAsync();
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(runner.Calls);
        await Step(time, TimeSpan.FromSeconds(1), runner, 1);
        await Step(time, TimeSpan.FromSeconds(10), runner, 2);
        await Step(time, TimeSpan.FromSeconds(10), runner, 3);

        Assert.Equal([("starting", 1, false), ("unhealthy", 2, true), ("healthy", 0, true)], reports);
        Assert.Equal("c1", runner.Calls[0].Id);
        Assert.Equal(s_command, runner.Calls[0].Command);
        Assert.Equal(HealthRules.DefaultTimeout, runner.Calls[0].Timeout);
        Assert.Equal([1, 1, 0], monitor.Current.Log.Select(e => e.ExitCode));
        Assert.Equal("yes\n", monitor.Current.Log[^1].Output);

        monitor.Dispose();
        await monitor.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(3, runner.Calls.Count);
    }

    [Fact]
    public async Task Monitor_InsideStartPeriod_UsesStartIntervalAndDoesNotCountFailures()
    {
        var time = new ManualTimeProvider();
        var runner = new ScriptedRunner(new ProbeOutcome(1, ""), new ProbeOutcome(0, ""), new ProbeOutcome(0, ""));
        var settings = new HealthcheckSettings
        {
            Test = ["CMD", "true"], Interval = Seconds(30), StartPeriod = Seconds(60), StartInterval = Seconds(2), Retries = 1,
        };
        using var monitor = new HealthMonitor("c1", settings, ["true"], time.GetUtcNow(), new HealthReport(), runner, time, (_, _, _) => Task.CompletedTask);
        monitor.Start();

        await time.WaitForTimersAsync();
        await Step(time, TimeSpan.FromSeconds(2), runner, 1);
        Assert.Equal(HealthReport.Starting, monitor.Current.Status); // one failure, but still in the start period
        Assert.Equal(0, monitor.Current.FailingStreak);
        await Step(time, TimeSpan.FromSeconds(2), runner, 2);
        Assert.Equal(HealthReport.Healthy, monitor.Current.Status);
        // Healthy: back to the normal interval even inside the start period.
        await time.WaitForTimersAsync();
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(2, runner.Calls.Count);
        await Step(time, TimeSpan.FromSeconds(1), runner, 3);
    }

    [Fact]
    public async Task Monitor_TimedOutOrBrokenProbe_IsAFailureWithDockersMessage()
    {
        var time = new ManualTimeProvider();
        var runner = new ScriptedRunner(new ProbeOutcome(ProbeOutcome.TimedOut, ""), null);
        var settings = new HealthcheckSettings { Test = ["CMD", "sleep", "9"], Interval = Seconds(1), Timeout = Seconds(2), Retries = 2 };
        using var monitor = new HealthMonitor("c1", settings, ["sleep", "9"], time.GetUtcNow(), new HealthReport(), runner, time, (_, _, _) => Task.CompletedTask);
        monitor.Start();

        await time.WaitForTimersAsync();
        await Step(time, TimeSpan.FromSeconds(1), runner, 1);
        await Step(time, TimeSpan.FromSeconds(1), runner, 2);
        Assert.Equal("Health check exceeded timeout (2s)", monitor.Current.Log[0].Output);
        Assert.Equal(-1, monitor.Current.Log[0].ExitCode);
        Assert.Equal(-1, monitor.Current.Log[1].ExitCode);
        Assert.Equal("exec failed", monitor.Current.Log[1].Output);
        Assert.Equal(HealthReport.Unhealthy, monitor.Current.Status);
    }

    [Fact]
    public void Apply_KeepsOnlyTheLastFiveProbes()
    {
        var settings = new HealthcheckSettings { Test = ["CMD", "true"] };
        var start = DateTimeOffset.UnixEpoch;
        var report = new HealthReport();
        for (var i = 0; i < 7; i++)
            report = HealthRules.Apply(settings, report, new HealthLogEntry(start.AddSeconds(i), start.AddSeconds(i), i, $"run {i}"), start);
        Assert.Equal(["run 2", "run 3", "run 4", "run 5", "run 6"], report.Log.Select(e => e.Output));
        Assert.Equal(HealthReport.Unhealthy, report.Status);
        Assert.Equal(6, report.FailingStreak);
    }

    [Theory]
    [InlineData(new[] { "CMD-SHELL", "curl -f localhost || exit 1" }, new[] { "/bin/sh", "-c", "curl -f localhost || exit 1" })]
    [InlineData(new[] { "CMD", "cat", "/tmp/x" }, new[] { "cat", "/tmp/x" })]
    [InlineData(new[] { "NONE" }, null)]
    [InlineData(new string[0], null)]
    public void ProbeCommand_FollowsTheTestForm(string[] test, string[]? expected) =>
        Assert.Equal(expected, HealthRules.ProbeCommand(new HealthcheckSettings { Test = [.. test] }));

    [Fact]
    public void TrimOutput_KeepsDockersFourKilobytes()
    {
        Assert.Equal(4096, HealthRules.TrimOutput(new string('x', 10_000)).Length);
        Assert.Equal("short", HealthRules.TrimOutput("short"));
    }

    [Theory]
    [InlineData(1000, "1s")]
    [InlineData(500, "500ms")]
    [InlineData(90_000, "1m30s")]
    [InlineData(30_000, "30s")]
    public void GoDuration_PrintsLikeGo(int milliseconds, string expected) =>
        Assert.Equal(expected, HealthRules.GoDuration(TimeSpan.FromMilliseconds(milliseconds)));

    private static long Seconds(int s) => s * 1_000_000_000L;

    /// <summary>Advances the clock once the monitor is waiting, then waits until the probe number
    /// <paramref name="calls"/> has run and its report was applied.</summary>
    private static async Task Step(ManualTimeProvider time, TimeSpan by, ScriptedRunner runner, int calls)
    {
        await time.WaitForTimersAsync();
        time.Advance(by);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (runner.Calls.Count < calls || time.ActiveTimers == 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"probe {calls} did not run");
            await Task.Delay(5);
        }
    }

    /// <summary>Answers probes from a script; a null entry throws as a failed exec would.</summary>
    private sealed class ScriptedRunner(params ProbeOutcome?[] script) : IContainerProbeRunner
    {
        private readonly ConcurrentQueue<ProbeOutcome?> _script = new(script);

        public List<(string Id, IReadOnlyList<string> Command, TimeSpan Timeout)> Calls { get; } = [];

        public Task<ProbeOutcome> RunAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct)
        {
            lock (Calls) Calls.Add((containerId, command, timeout));
            if (!_script.TryDequeue(out var next)) next = new ProbeOutcome(0, "");
            return next is null ? Task.FromException<ProbeOutcome>(new InvalidOperationException("exec failed")) : Task.FromResult(next);
        }
    }
}
