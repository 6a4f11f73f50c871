using System.Collections.Concurrent;
using Wharf.Engine.Containers.Health;
using Wharf.Engine.Logging;

namespace Wharf.Engine.Containers;

public sealed partial class ContainerService
{
    private readonly ConcurrentDictionary<string, HealthMonitor> _healthMonitors = new(StringComparer.Ordinal);

    /// <summary>How health probes run inside containers (an exec). Without one, health checks are not run and
    /// containers with a HEALTHCHECK stay in "starting".</summary>
    public IContainerProbeRunner? ProbeRunner { get; set; }

    /// <summary>Starts the container's health monitor if it has a check. Called with the container's gate held,
    /// right after the container started (or was found running at daemon start).</summary>
    private void StartHealthMonitor(ContainerEntry entry, HealthReport? previous)
    {
        var record = entry.Record;
        StopHealthMonitor(record, markUnhealthy: false);
        var settings = record.Config.Healthcheck;
        if (settings is null || HealthRules.ProbeCommand(settings) is not { } command) return;
        // As Docker: every start begins "starting" with a clean streak, keeping the earlier log.
        var initial = new HealthReport { Status = HealthReport.Starting, FailingStreak = 0, Log = previous?.Log ?? [] };
        record.State.Health = initial;
        if (ProbeRunner is not { } runner) return;
        var monitor = new HealthMonitor(record.Id, settings, command, record.State.StartedAt ?? _time.GetUtcNow(), initial, runner, _time,
            (source, report, changed) => OnHealthReport(entry, source, report, changed));
        _healthMonitors[record.Id] = monitor;
        monitor.Start();
        monitor.Completion.Observe(_log, "health monitor", record.Id);
    }

    private void OnHealthReport(ContainerEntry entry, HealthMonitor source, HealthReport report, bool statusChanged)
    {
        var record = entry.Record;
        // A report that lands after the container stopped belongs to a monitor that is already gone.
        if (!_healthMonitors.TryGetValue(record.Id, out var current) || !ReferenceEquals(current, source)) return;
        if (!record.State.Running || record.State.Restarting) return;
        record.State.Health = report;
        if (!statusChanged) return;
        Persist(record);
        Publish(record, "health_status: " + report.Status);
    }

    /// <summary>Stops the monitor. On exit Docker reports the last health as "unhealthy" (for compatibility), so
    /// inspect of a stopped container never claims it is healthy.</summary>
    private void StopHealthMonitor(ContainerRecord record, bool markUnhealthy)
    {
        if (_healthMonitors.TryRemove(record.Id, out var monitor)) monitor.Dispose();
        if (markUnhealthy && record.State.Health is { } health)
            record.State.Health = new HealthReport { Status = HealthReport.Unhealthy, FailingStreak = health.FailingStreak, Log = health.Log };
    }
}
