using Wharf.Core.Errors;
using Wharf.Core.Oci;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Containers.Filters;
using Wharf.Engine.Containers.Health;
using Wharf.Engine.Containers.Spec;
using Wharf.Engine.Tests.Containers;
using Xunit;

namespace Wharf.Engine.Tests.Lifecycle;

/// <summary>Health check config at create, health in ps and filters, --init in the spec: no processes involved.</summary>
public sealed class LifecycleConfigTests
{
    [Fact]
    public async Task Create_InheritsImageHealthcheck_AndUserValuesWin()
    {
        await using var h = await ContainerServiceHarness.CreateAsync("HEALTHCHECK --interval=5s --retries=4 CMD [\"cat\", \"/ok\"]");
        var inherited = h.Create();
        Assert.Equal(["CMD", "cat", "/ok"], inherited.Config.Healthcheck!.Test);
        Assert.Equal(5_000_000_000L, inherited.Config.Healthcheck.Interval);
        Assert.Equal(4, inherited.Config.Healthcheck.Retries);

        var overridden = h.Create(config: c => c.Healthcheck = new HealthcheckSettings { Interval = 1_000_000_000L });
        Assert.Equal(["CMD", "cat", "/ok"], overridden.Config.Healthcheck!.Test);
        Assert.Equal(1_000_000_000L, overridden.Config.Healthcheck.Interval);
        Assert.Equal(4, overridden.Config.Healthcheck.Retries);

        var disabled = h.Create(config: c => c.Healthcheck = new HealthcheckSettings { Test = ["NONE"] });
        Assert.False(HealthRules.IsEnabled(disabled.Config.Healthcheck));
        Assert.Null(disabled.State.Health);
    }

    [Fact]
    public async Task Create_ShellFormHealthcheckInImage_IsCmdShell()
    {
        await using var h = await ContainerServiceHarness.CreateAsync("HEALTHCHECK --timeout=1m30s CMD test -f /tmp/ok || exit 1");
        var record = h.Create();
        Assert.Equal(["CMD-SHELL", "test -f /tmp/ok || exit 1"], record.Config.Healthcheck!.Test);
        Assert.Equal(90_000_000_000L, record.Config.Healthcheck.Timeout);
    }

    [Theory]
    [InlineData(1L, 0L, 0, "Interval in Healthcheck cannot be less than 1ms")]
    [InlineData(0L, 500L, 0, "Timeout in Healthcheck cannot be less than 1ms")]
    [InlineData(0L, 0L, -1, "Retries in Healthcheck cannot be negative")]
    public async Task Create_InvalidHealthcheck_IsRejectedInDockersWords(long interval, long timeout, int retries, string message)
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var e = Assert.Throws<EngineException>(() => h.Create(config: c => c.Healthcheck = new HealthcheckSettings
        {
            Test = ["CMD", "true"], Interval = interval, Timeout = timeout, Retries = retries,
        }));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
        Assert.Empty(h.Service.List());
    }

    [Fact]
    public async Task Create_RestartPolicyWithAutoRemove_IsRejected()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var e = Assert.Throws<EngineException>(() => h.Create(host: x => { x.AutoRemove = true; x.RestartPolicy = "always"; }));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("restart policy", e.Message);
    }

    [Theory]
    [InlineData(null, "Up 3 seconds")]
    [InlineData("starting", "Up 3 seconds (health: starting)")]
    [InlineData("healthy", "Up 3 seconds (healthy)")]
    [InlineData("unhealthy", "Up 3 seconds (unhealthy)")]
    public void StatusText_RunningContainer_ShowsHealthLikeDockerPs(string? health, string expected)
    {
        var now = DateTimeOffset.UnixEpoch.AddHours(1);
        var state = new ContainerState
        {
            Status = ContainerStatus.Running,
            Running = true,
            StartedAt = now.AddSeconds(-3),
            Health = health is null ? null : new HealthReport { Status = health },
        };
        Assert.Equal(expected, StatusText.For(state, now));
    }

    [Fact]
    public void StatusText_Restarting_ShowsLastExitCode()
    {
        var now = DateTimeOffset.UnixEpoch.AddHours(1);
        var state = new ContainerState { Status = ContainerStatus.Restarting, Running = true, Restarting = true, ExitCode = 1, FinishedAt = now.AddSeconds(-2) };
        Assert.Equal("Restarting (1) 2 seconds ago", StatusText.For(state, now));
    }

    [Fact]
    public void Filter_Health_MatchesStatusAndNone_AndRejectsUnknownValues()
    {
        ContainerSnapshot Record(string? health) => ContainerSnapshot.Of(new()
        {
            Id = Guid.NewGuid().ToString("N"),
            Name = "c",
            ImageId = "sha256:x",
            State = new ContainerState { Health = health is null ? null : new HealthReport { Status = health } },
        });
        var healthy = new ContainerFilter(FilterSet.From(("health", "healthy")), _ => null, _ => null);
        var none = new ContainerFilter(FilterSet.From(("health", "none")), _ => null, _ => null);
        Assert.True(healthy.Matches(Record("healthy")));
        Assert.False(healthy.Matches(Record("starting")));
        Assert.False(healthy.Matches(Record(null)));
        Assert.True(none.Matches(Record(null)));
        Assert.False(none.Matches(Record("unhealthy")));
        var e = Assert.Throws<EngineException>(() => new ContainerFilter(FilterSet.From(("health", "sick")), _ => null, _ => null));
        Assert.Equal("Unrecognised filter value for health: sick", e.Message);
    }

    [Fact]
    public void WithInit_RunsDockerInitFirstAndMountsItReadOnly()
    {
        var spec = SpecBuilder.NewSpec("/rootfs", ["sleep", "60"]).WithInit("/usr/bin/tini-static");
        Assert.Equal(["/sbin/docker-init", "--", "sleep", "60"], spec.Process.Args);
        var mount = Assert.Single(spec.Mounts);
        Assert.Equal("/sbin/docker-init", mount.Destination);
        Assert.Equal("/usr/bin/tini-static", mount.Source);
        Assert.Contains("ro", mount.Options!);
        Assert.Contains("bind", mount.Options!);
    }

    [Theory]
    [InlineData(null, false, false)]
    [InlineData(null, true, true)]
    [InlineData(false, true, false)]
    [InlineData(true, false, true)]
    public void InitIsWanted_ContainerSettingWinsOverDaemonDefault(bool? container, bool daemonDefault, bool expected) =>
        Assert.Equal(expected, InitOption.IsWanted(new HostSettings { Init = container }, daemonDefault));

    [Fact]
    public void ContainerRecord_WithHealthAndCheck_SurvivesPersistence()
    {
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var record = new ContainerRecord
        {
            Id = new string('a', 64),
            Name = "h",
            ImageId = "sha256:x",
            RestartCount = 3,
            Config = new ContainerConfig { Healthcheck = new HealthcheckSettings { Test = ["CMD", "true"], Interval = 5, Retries = 2 } },
            Host = new HostSettings { Init = true, RestartPolicy = "on-failure", RestartMaxRetries = 4 },
            State = new ContainerState { Health = new HealthReport { Status = "unhealthy", FailingStreak = 2, Log = [new HealthLogEntry(at, at.AddSeconds(1), 1, "bad\n")] } },
        };
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(record, EngineJsonContext.Default.ContainerRecord);
        var back = System.Text.Json.JsonSerializer.Deserialize(json, EngineJsonContext.Default.ContainerRecord)!;
        Assert.Equal(["CMD", "true"], back.Config.Healthcheck!.Test);
        Assert.Equal(2, back.Config.Healthcheck.Retries);
        Assert.True(back.Host.Init);
        Assert.Equal(3, back.RestartCount);
        Assert.Equal("unhealthy", back.State.Health!.Status);
        Assert.Equal(new HealthLogEntry(at, at.AddSeconds(1), 1, "bad\n"), Assert.Single(back.State.Health.Log));
    }

    [Fact]
    public void ImageHealthcheck_RoundTripsThroughImageConfigJson()
    {
        var config = new ImageConfig { Config = new ContainerDefaults { Healthcheck = new ImageHealthcheck { Test = ["NONE"], Retries = 2 } } };
        var json = System.Text.Json.JsonSerializer.Serialize(config, Wharf.Core.CoreJsonContext.Default.ImageConfig);
        Assert.Contains("\"Healthcheck\":{\"Test\":[\"NONE\"],\"Retries\":2}", json);
        var back = System.Text.Json.JsonSerializer.Deserialize(json, Wharf.Core.CoreJsonContext.Default.ImageConfig)!;
        Assert.Equal(2, back.Config.Healthcheck!.Retries);
    }
}
