namespace Wharf.Engine.Containers.Health;

/// <summary>Runs one container's health check while it runs: waits the interval (or the start interval early on),
/// runs the probe through <see cref="IContainerProbeRunner"/> and hands every new report to its owner. Stopped by
/// <see cref="Dispose"/> when the container stops or exits.</summary>
public sealed class HealthMonitor : IDisposable
{
    private readonly string _containerId;
    private readonly HealthcheckSettings _settings;
    private readonly IReadOnlyList<string> _command;
    private readonly DateTimeOffset _startedAt;
    private readonly IContainerProbeRunner _runner;
    private readonly TimeProvider _time;
    private readonly Func<HealthMonitor, HealthReport, bool, Task> _onReport;
    private readonly CancellationTokenSource _stop = new();

    /// <param name="onReport">Called after each probe with the new report and whether its status changed; the next
    /// probe waits for it.</param>
    public HealthMonitor(string containerId, HealthcheckSettings settings, IReadOnlyList<string> command, DateTimeOffset startedAt,
        HealthReport initial, IContainerProbeRunner runner, TimeProvider time, Func<HealthMonitor, HealthReport, bool, Task> onReport)
    {
        _containerId = containerId;
        _settings = settings;
        _command = command;
        _startedAt = startedAt;
        Current = initial;
        _runner = runner;
        _time = time;
        _onReport = onReport;
    }

    public HealthReport Current { get; private set; }

    /// <summary>The probing loop; completes once disposed.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = RunAsync(_stop.Token);

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var delay = HealthRules.NextDelay(_settings, Current, _startedAt, _time.GetUtcNow());
                await Task.Delay(delay, _time, ct).ConfigureAwait(false);
                var result = await ProbeOnceAsync(ct).ConfigureAwait(false);
                if (ct.IsCancellationRequested) return;
                var before = Current;
                Current = HealthRules.Apply(_settings, before, result, _startedAt);
                await _onReport(this, Current, before.Status != Current.Status).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopped with the container
        }
    }

    private async Task<HealthLogEntry> ProbeOnceAsync(CancellationToken ct)
    {
        var start = _time.GetUtcNow();
        var timeout = HealthRules.Timeout(_settings);
        ProbeOutcome outcome;
        try
        {
            outcome = await _runner.RunAsync(_containerId, _command, timeout, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Docker records a probe that could not even run (exec failed) as exit -1 with the error.
            outcome = new ProbeOutcome(ProbeOutcome.TimedOut, e.Message);
        }
        var output = outcome.ExitCode == ProbeOutcome.TimedOut && string.IsNullOrEmpty(outcome.Output)
            ? HealthRules.TimeoutMessage(timeout)
            : HealthRules.TrimOutput(outcome.Output);
        return new HealthLogEntry(start, _time.GetUtcNow(), outcome.ExitCode, output);
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
    }
}
