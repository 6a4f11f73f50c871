namespace Wharf.Engine.Containers.Resources;

/// <summary>Which blkio knobs the host's cgroups offer (Docker's sysinfo Blkio* flags). A kernel without an IO
/// scheduler that supports weights (no blkio.weight / blkio.bfq.weight) takes throttles but no weights; runc would
/// fail the start writing a file that is not there, so Docker drops what is missing at create, with a warning.</summary>
public sealed record BlkioSupport(bool Weight, bool WeightDevice, bool ReadBpsDevice, bool WriteBpsDevice, bool ReadIopsDevice, bool WriteIopsDevice)
{
    public static BlkioSupport All { get; } = new(true, true, true, true, true, true);

    /// <summary>Drops the settings this host cannot apply, returning Docker's warning for each.</summary>
    public IReadOnlyList<string> DiscardUnsupported(HostSettings host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var warnings = new List<string>();
        if (host.BlkioWeight > 0 && !Weight)
        {
            warnings.Add("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.");
            host.BlkioWeight = 0;
        }
        void Drop(List<BlkioDeviceSetting> list, bool supported, string warning)
        {
            if (list.Count == 0 || supported) return;
            warnings.Add(warning);
            list.Clear();
        }
        Drop(host.BlkioWeightDevice, WeightDevice, "Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.");
        Drop(host.BlkioDeviceReadBps, ReadBpsDevice, "Your kernel does not support BPS Block I/O read limit or the cgroup is not mounted. Block I/O BPS read limit discarded.");
        Drop(host.BlkioDeviceWriteBps, WriteBpsDevice, "Your kernel does not support BPS Block I/O write limit or the cgroup is not mounted. Block I/O BPS write limit discarded.");
        Drop(host.BlkioDeviceReadIOps, ReadIopsDevice, "Your kernel does not support IOPS Block read limit or the cgroup is not mounted. Block I/O IOPS read limit discarded.");
        Drop(host.BlkioDeviceWriteIOps, WriteIopsDevice, "Your kernel does not support IOPS Block write limit or the cgroup is not mounted. Block I/O IOPS write limit discarded.");
        return warnings;
    }
}
