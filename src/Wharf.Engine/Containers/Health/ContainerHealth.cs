using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Logging;

namespace Wharf.Engine.Containers.Health;

/// <summary>The health monitors of running containers: started with the container, stopped at its exit; their
/// reports go into the record (and the file and an event when the status changes).</summary>
/// <param name="probes">How health probes run inside containers (an exec). Without one, health checks are not run
/// and containers with a HEALTHCHECK stay in "starting".</param>
public sealed class ContainerHealth(ContainerStore store, ContainerEvents events, TimeProvider time,
    IContainerProbeRunner? probes = null, ILogger<ContainerHealth>? log = null)
{
    private readonly ConcurrentDictionary<string, HealthMonitor> _healthMonitors = new(StringComparer.Ordinal);
    private readonly ILogger _log = log ?? NullLogger<ContainerHealth>.Instance;

    /// <summary>Starts the container's health monitor if it has a check. Called with the container's gate held,
    /// right after the container started (or was found running at daemon start); the "starting" health is
    /// published at once (memory only, as every report whose status stays the same).</summary>
    internal void StartMonitor(ContainerEntry entry, HealthReport? previous)
    {
        var record = entry.Record;
        StopMonitor(record, markUnhealthy: false);
        var settings = record.Config.Healthcheck;
        if (settings is null || HealthRules.ProbeCommand(settings) is not { } command) return;
        // As Docker: every start begins "starting" with a clean streak, keeping the earlier log.
        var initial = new HealthReport { Status = HealthReport.Starting, FailingStreak = 0, Log = previous?.Log ?? [] };
        record.State.Health = initial;
        store.Publish(record);
        if (probes is not { } runner) return;
        var monitor = new HealthMonitor(record.Id, settings, command, record.State.StartedAt ?? time.GetUtcNow(), initial, runner, time,
            (source, report, changed) => OnHealthReportAsync(entry, source, report, changed));
        _healthMonitors[record.Id] = monitor;
        monitor.Start();
        monitor.Completion.Observe(_log, "health monitor", record.Id);
    }

    /// <summary>Stops the monitor. On exit Docker reports the last health as "unhealthy" (for compatibility), so
    /// inspect of a stopped container never claims it is healthy.</summary>
    internal void StopMonitor(ContainerRecord record, bool markUnhealthy)
    {
        if (_healthMonitors.TryRemove(record.Id, out var monitor)) monitor.Dispose();
        if (markUnhealthy && record.State.Health is { } health)
            record.State.Health = new HealthReport { Status = HealthReport.Unhealthy, FailingStreak = health.FailingStreak, Log = health.Log };
    }

    /// <summary>A probe's report goes into the record with the container's gate held, as every change: it may
    /// wait for a start, a stop or an update to finish (which never wait for the monitor: disposing it only
    /// cancels). A report whose status stays the same is published in memory only; a new status is written too.</summary>
    private async Task OnHealthReportAsync(ContainerEntry entry, HealthMonitor source, HealthReport report, bool statusChanged)
    {
        var record = entry.Record;
        await entry.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            // A report that lands after the container stopped belongs to a monitor that is already gone.
            if (!_healthMonitors.TryGetValue(record.Id, out var current) || !ReferenceEquals(current, source)) return;
            if (!record.State.Running || record.State.Restarting) return;
            record.State.Health = report;
            if (!statusChanged)
            {
                store.Publish(record);
                return;
            }
            try
            {
                store.Persist(record);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Published before the write: only the file is behind. The monitor must keep probing.
                ContainerLog.RecordHealthFailed(_log, e, record.Id, report.Status);
            }
            events.Publish(record, "health_status: " + report.Status);
        }
        finally
        {
            entry.Gate.Release();
        }
    }
}
