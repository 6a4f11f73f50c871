using System.Text.Json.Serialization;

namespace Wharf.Api.Resources;

/// <summary>Docker writes null for the lists it has no figures for.</summary>
public sealed class BlkioStats
{
    [JsonPropertyName("io_service_bytes_recursive")] public List<BlkioStatEntry>? IoServiceBytesRecursive { get; set; }
    [JsonPropertyName("io_serviced_recursive")] public List<BlkioStatEntry>? IoServicedRecursive { get; set; }
    [JsonPropertyName("io_queue_recursive")] public List<BlkioStatEntry>? IoQueueRecursive { get; set; }
    [JsonPropertyName("io_service_time_recursive")] public List<BlkioStatEntry>? IoServiceTimeRecursive { get; set; }
    [JsonPropertyName("io_wait_time_recursive")] public List<BlkioStatEntry>? IoWaitTimeRecursive { get; set; }
    [JsonPropertyName("io_merged_recursive")] public List<BlkioStatEntry>? IoMergedRecursive { get; set; }
    [JsonPropertyName("io_time_recursive")] public List<BlkioStatEntry>? IoTimeRecursive { get; set; }
    [JsonPropertyName("sectors_recursive")] public List<BlkioStatEntry>? SectorsRecursive { get; set; }
}
