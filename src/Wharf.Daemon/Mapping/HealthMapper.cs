using Wharf.Engine.Containers.Health;
using Dto = Wharf.Api.Containers;

namespace Wharf.Daemon.Mapping;

/// <summary>Health check config and State.Health between Docker's JSON shapes and the engine.</summary>
internal static class HealthMapper
{
    public static HealthcheckSettings? ToSettings(Dto.HealthConfig? dto) => dto is null ? null : new HealthcheckSettings
    {
        Test = dto.Test ?? [],
        Interval = dto.Interval,
        Timeout = dto.Timeout,
        StartPeriod = dto.StartPeriod,
        StartInterval = dto.StartInterval,
        Retries = dto.Retries,
    };

    public static Dto.HealthConfig? ToDto(HealthcheckSettings? settings) => settings is null ? null : new Dto.HealthConfig
    {
        Test = settings.Test,
        Interval = settings.Interval,
        Timeout = settings.Timeout,
        StartPeriod = settings.StartPeriod,
        StartInterval = settings.StartInterval,
        Retries = settings.Retries,
    };

    public static Dto.HealthState? ToDto(HealthReport? report) => report is null ? null : new Dto.HealthState
    {
        Status = report.Status,
        FailingStreak = report.FailingStreak,
        Log = report.Log.Select(e => new Dto.HealthCheckResult
        {
            Start = ContainerMapper.FormatTime(e.Start),
            End = ContainerMapper.FormatTime(e.End),
            ExitCode = e.ExitCode,
            Output = e.Output,
        }).ToList(),
    };
}
