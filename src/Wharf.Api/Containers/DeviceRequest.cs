namespace Wharf.Api.Containers;

public sealed class DeviceRequest
{
    public string? Driver { get; set; }
    public int Count { get; set; }
    public List<string>? DeviceIDs { get; set; }
    public List<List<string>>? Capabilities { get; set; }
    public Dictionary<string, string>? Options { get; set; }
}
