using System.Globalization;
using System.Text;

namespace Wharf.Engine.Containers.Health;

/// <summary>Docker's health check rules as pure functions: defaults, the probe's command line, and how one probe
/// result moves the report (streak, status, log).</summary>
public static class HealthRules
{
    public const int MaxLogEntries = 5;
    public const int MaxOutputLength = 4096;
    public const int DefaultRetries = 3;
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultStartInterval = TimeSpan.FromSeconds(5);
    /// <summary>Docker refuses intervals, timeouts and start periods below this.</summary>
    public static readonly TimeSpan MinimumDuration = TimeSpan.FromMilliseconds(1);

    public static TimeSpan Interval(HealthcheckSettings s) => OrDefault(s.Interval, DefaultInterval);
    public static TimeSpan Timeout(HealthcheckSettings s) => OrDefault(s.Timeout, DefaultTimeout);
    public static TimeSpan StartPeriod(HealthcheckSettings s) => OrDefault(s.StartPeriod, TimeSpan.Zero);
    public static TimeSpan StartInterval(HealthcheckSettings s) => OrDefault(s.StartInterval, DefaultStartInterval);
    public static int Retries(HealthcheckSettings s) => s.Retries > 0 ? s.Retries : DefaultRetries;

    /// <summary>The command to run in the container, or null when there is no check (no Test, or "NONE").
    /// "CMD-SHELL" goes through /bin/sh -c, as Docker does without a SHELL override.</summary>
    public static IReadOnlyList<string>? ProbeCommand(HealthcheckSettings? s)
    {
        if (s is null || s.Test.Count == 0) return null;
        return s.Test[0] switch
        {
            "CMD" when s.Test.Count > 1 => s.Test.Skip(1).ToList(),
            "CMD-SHELL" when s.Test.Count > 1 => ["/bin/sh", "-c", string.Join(' ', s.Test.Skip(1))],
            _ => null,
        };
    }

    /// <summary>True when the container has a health check that the monitor must run.</summary>
    public static bool IsEnabled(HealthcheckSettings? s) => ProbeCommand(s) is not null;

    /// <summary>The wait before the next probe: the start interval while still "starting" inside the start period,
    /// else the interval.</summary>
    public static TimeSpan NextDelay(HealthcheckSettings s, HealthReport report, DateTimeOffset startedAt, DateTimeOffset now) =>
        now - startedAt < StartPeriod(s) && report.Status == HealthReport.Starting ? StartInterval(s) : Interval(s);

    /// <summary>The report after one more probe. A failure inside the start period, before the first success, does
    /// not count against the container; otherwise <see cref="Retries"/> consecutive failures make it unhealthy and
    /// one success makes it healthy.</summary>
    public static HealthReport Apply(HealthcheckSettings s, HealthReport before, HealthLogEntry result, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(result);
        var log = before.Log.Count >= MaxLogEntries ? before.Log.Skip(before.Log.Count + 1 - MaxLogEntries).ToList() : [.. before.Log];
        log.Add(result);
        var status = before.Status;
        var streak = before.FailingStreak;
        if (result.ExitCode == 0)
        {
            streak = 0;
            status = HealthReport.Healthy;
        }
        else if (!(before.Status == HealthReport.Starting && result.Start - startedAt < StartPeriod(s)))
        {
            streak++;
            if (streak >= Retries(s)) status = HealthReport.Unhealthy;
        }
        return new HealthReport { Status = status, FailingStreak = streak, Log = log };
    }

    /// <summary>Docker keeps at most 4096 bytes of a probe's output.</summary>
    public static string TrimOutput(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Encoding.UTF8.GetByteCount(output) <= MaxOutputLength) return output;
        var bytes = Encoding.UTF8.GetBytes(output);
        return Encoding.UTF8.GetString(bytes, 0, MaxOutputLength);
    }

    /// <summary>The text Docker records for a probe that ran too long.</summary>
    public static string TimeoutMessage(TimeSpan timeout) => $"Health check exceeded timeout ({GoDuration(timeout)})";

    /// <summary>Go's time.Duration.String() for the values health checks use ("500ms", "1s", "1m30s").</summary>
    public static string GoDuration(TimeSpan d)
    {
        if (d == TimeSpan.Zero) return "0s";
        if (d < TimeSpan.FromSeconds(1))
        {
            return d.TotalMilliseconds >= 1
                ? d.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms"
                : (d.Ticks / 10.0).ToString("0.###", CultureInfo.InvariantCulture) + "µs";
        }
        var text = new StringBuilder();
        if (d.TotalHours >= 1) text.Append(((long)d.TotalHours).ToString(CultureInfo.InvariantCulture)).Append('h');
        if (d.TotalMinutes >= 1) text.Append(d.Minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        var seconds = d.Seconds + (d.Ticks % TimeSpan.TicksPerSecond) / (double)TimeSpan.TicksPerSecond;
        text.Append(seconds.ToString("0.#########", CultureInfo.InvariantCulture)).Append('s');
        return text.ToString();
    }

    private static TimeSpan OrDefault(long nanoseconds, TimeSpan fallback) =>
        nanoseconds > 0 ? TimeSpan.FromTicks(nanoseconds / 100) : fallback;
}
