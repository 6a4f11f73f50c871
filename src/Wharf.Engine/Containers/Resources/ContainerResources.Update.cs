using System.Text.Json;
using Wharf.Core.Errors;
using Wharf.Engine.Containers.Resources;
using Wharf.Engine.Containers.Spec;
using Wharf.Engine.Containers.Store;

namespace Wharf.Engine.Containers.Resources;

public sealed partial class ContainerResources
{
    private static readonly string[] UpdatableRestartPolicies = ["no", "always", "on-failure", "unless-stopped"];

    /// <summary>docker update: merges the changes into the container's settings, validates the result as create
    /// would, applies it live to a running (or paused) container with runc update, then persists. Stopped
    /// containers get the new limits at their next start. Returns Docker's warnings.</summary>
    public async Task<IReadOnlyList<string>> UpdateAsync(string nameOrId, ContainerUpdate update, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(update);
        var entry = Find(nameOrId);
        await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var record = entry.Record;
            if (entry.RemovalInProgress) throw EngineException.Conflict($"Cannot update container {record.Id}: container is marked for removal");
            var merged = Merge(record.Host, update);
            var warnings = ResourceValidation.ValidateLimits(merged, Environment.ProcessorCount);
            ResourceValidation.ValidateRealtime(merged, _options.CpuRealtimeSupported);
            // As at create (and as dockerd's update): a weight the host's blkio cannot take is dropped with a warning,
            // never handed to runc, whose write of a missing weight file would fail the update.
            warnings.AddRange(_options.Blkio.DiscardUnsupported(merged));
            if (!_options.SwapLimitSupported && update.MemorySwap != 0)
                warnings.Add("Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.");
            if (record.State.Running)
            {
                var resources = ResourceSpec.UpdatableResources(merged, _options.SwapLimitSupported);
                try
                {
                    await Runtime.UpdateAsync(record.Id, resources, ct).ConfigureAwait(false);
                }
                catch (IOException e) when (e.Message.Contains("container does not exist", StringComparison.Ordinal))
                {
                    // The process ended between our look at the state and runc's (a short-lived command just
                    // started; its exit not handled yet): it is stopped, so the limits apply at its next start, as
                    // for any stopped container. The request fuzzer found this as a 500.
                }
                catch (IOException e)
                {
                    throw new EngineException(ErrorKind.Unknown, $"Cannot update container {record.Id}: {e.Message}", e);
                }
            }
            record.Host = merged;
            Persist(record);
            Publish(record, "update");
            return warnings;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>A copy of <paramref name="current"/> with the non-zero fields of <paramref name="update"/> applied,
    /// checked against Docker's rules for combining them.</summary>
    public static HostSettings Merge(HostSettings current, ContainerUpdate update)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(update);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(current, EngineJsonContext.Default.HostSettings);
        var h = JsonSerializer.Deserialize(bytes, EngineJsonContext.Default.HostSettings)!;
        if (update.BlkioWeight != 0) h.BlkioWeight = update.BlkioWeight;
        if (update.CpuShares != 0) h.CpuShares = update.CpuShares;
        if (update.CpuRealtimePeriod != 0) h.CpuRealtimePeriod = update.CpuRealtimePeriod;
        if (update.CpuRealtimeRuntime != 0) h.CpuRealtimeRuntime = update.CpuRealtimeRuntime;
        if (update.NanoCpus != 0)
        {
            if (h.CpuQuota > 0 || h.CpuPeriod > 0) throw EngineException.Invalid("Conflicting options: CPU Quota or CPU Period cannot be updated when Nano CPUs is set");
            h.NanoCpus = update.NanoCpus;
        }
        if (update.CpuPeriod != 0 || update.CpuQuota != 0)
        {
            if (h.NanoCpus > 0) throw EngineException.Invalid("Conflicting options: Nano CPUs cannot be updated as CPU Period or CPU Quota has already been set");
            if (update.CpuPeriod != 0) h.CpuPeriod = update.CpuPeriod;
            if (update.CpuQuota != 0) h.CpuQuota = update.CpuQuota;
        }
        if (!string.IsNullOrEmpty(update.CpusetCpus)) h.CpusetCpus = update.CpusetCpus;
        if (!string.IsNullOrEmpty(update.CpusetMems)) h.CpusetMems = update.CpusetMems;
        if (update.Memory != 0)
        {
            if (update.MemorySwap == 0 && h.MemorySwap > 0 && update.Memory > h.MemorySwap)
                throw EngineException.Invalid("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
            h.Memory = update.Memory;
        }
        if (update.MemorySwap != 0)
        {
            if (h.Memory == 0 && update.MemorySwap > 0)
                throw EngineException.Invalid("You should always set the Memory limit when using Memoryswap limit, see usage");
            h.MemorySwap = update.MemorySwap;
        }
        if (update.MemoryReservation != 0) h.MemoryReservation = update.MemoryReservation;
        if (update.PidsLimit is { } pids) h.PidsLimit = pids > 0 ? pids : null;
        if (!string.IsNullOrEmpty(update.RestartPolicy))
        {
            if (!UpdatableRestartPolicies.Contains(update.RestartPolicy))
                throw EngineException.Invalid($"invalid restart policy: unknown policy '{update.RestartPolicy}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
            if (update.RestartPolicy != "no" && h.AutoRemove)
                throw EngineException.Invalid("Restart policy cannot be updated because AutoRemove is enabled for the container");
            h.RestartPolicy = update.RestartPolicy;
            h.RestartMaxRetries = update.RestartMaxRetries;
        }
        return h;
    }
}
