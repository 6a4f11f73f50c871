using System.Globalization;

namespace Wharf.Engine.Containers.Filters;

/// <summary>The human "Status" column of <c>docker ps</c> ("Up 2 hours", "Exited (0) 5 seconds ago"), worded
/// exactly as Docker words it because users and scripts read it.</summary>
public static class StatusText
{
    public static string For(ContainerState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (state.Status)
        {
            case ContainerStatus.Removing:
                return "Removal In Progress";
            case ContainerStatus.Dead:
                return "Dead";
            case ContainerStatus.Paused:
                return $"Up {HumanDuration(now - (state.StartedAt ?? now))} (Paused)";
            case ContainerStatus.Restarting:
                return $"Restarting ({Code(state.ExitCode)}) {HumanDuration(now - (state.FinishedAt ?? now))} ago";
            case ContainerStatus.Running:
                return $"Up {HumanDuration(now - (state.StartedAt ?? now))}" + HealthSuffix(state.Health);
            case ContainerStatus.Exited:
                // A container that never started but is marked exited (failed start) still shows its code.
                return state.FinishedAt is { } finished
                    ? $"Exited ({Code(state.ExitCode)}) {HumanDuration(now - finished)} ago"
                    : state.StartedAt is null ? "Created" : "";
            default:
                return "Created";
        }
    }

    public static string For(ContainerState state, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return For(state, time.GetUtcNow());
    }

    /// <summary>Docker's (go-units) HumanDuration: whole seconds below a minute, minutes below an hour, hours
    /// rounded to the nearest below two days, then days, weeks, months (30 days) and years.</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < 1)
        {
            return "Less than a second";
        }

        if (seconds == 1)
        {
            return "1 second";
        }

        if (seconds < 60)
        {
            return $"{N(seconds)} seconds";
        }

        var minutes = (long)d.TotalMinutes;
        if (minutes == 1)
        {
            return "About a minute";
        }

        if (minutes < 60)
        {
            return $"{N(minutes)} minutes";
        }

        var hours = (long)(d.TotalHours + 0.5);
        if (hours == 1)
        {
            return "About an hour";
        }

        if (hours < 48)
        {
            return $"{N(hours)} hours";
        }

        if (hours < 24 * 7 * 2)
        {
            return $"{N(hours / 24)} days";
        }

        if (hours < 24 * 30 * 2)
        {
            return $"{N(hours / 24 / 7)} weeks";
        }

        if (hours < 24 * 365 * 2)
        {
            return $"{N(hours / 24 / 30)} months";
        }

        return $"{N((long)d.TotalHours / 24 / 365)} years";
    }

    /// <summary>" (healthy)", " (unhealthy)" or " (health: starting)", as docker ps shows a running container.</summary>
    private static string HealthSuffix(Health.HealthReport? health) => health?.Status switch
    {
        null => "",
        Health.HealthReport.Starting => " (health: starting)",
        var status => $" ({status})",
    };

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Code(int exitCode) => exitCode.ToString(CultureInfo.InvariantCulture);
}
