using Wharf.Core.Errors;
using Wharf.Core.Oci;
using Wharf.Engine.Containers.Health;
using Wharf.Engine.Containers.Store;

namespace Wharf.Engine.Containers.Lifecycle;

public sealed partial class ContainerCreator
{
    /// <summary>At create: rejects what Docker rejects in the user's health check, then fills what the user left
    /// out (the whole check, its test, or single durations) from the image's HEALTHCHECK, as Docker merges them.</summary>
    private static void MergeHealthcheck(ContainerConfig config, ImageHealthcheck? image)
    {
        if (config.Healthcheck is { } user)
        {
            CheckMinimum(user.Interval, "Interval");
            CheckMinimum(user.Timeout, "Timeout");
            CheckMinimum(user.StartPeriod, "StartPeriod");
            CheckMinimum(user.StartInterval, "StartInterval");
            if (user.Retries < 0) throw EngineException.Invalid("Retries in Healthcheck cannot be negative");
        }
        if (image is null) return;
        var merged = config.Healthcheck ?? new HealthcheckSettings();
        if (merged.Test.Count == 0) merged.Test = [.. image.Test ?? []];
        if (merged.Interval == 0) merged.Interval = image.Interval;
        if (merged.Timeout == 0) merged.Timeout = image.Timeout;
        if (merged.StartPeriod == 0) merged.StartPeriod = image.StartPeriod;
        if (merged.StartInterval == 0) merged.StartInterval = image.StartInterval;
        if (merged.Retries == 0) merged.Retries = image.Retries;
        config.Healthcheck = merged;
    }

    private static void CheckMinimum(long nanoseconds, string field)
    {
        if (nanoseconds != 0 && TimeSpan.FromTicks(nanoseconds / 100) < HealthRules.MinimumDuration)
            throw EngineException.Invalid($"{field} in Healthcheck cannot be less than {HealthRules.GoDuration(HealthRules.MinimumDuration)}");
    }
}
