using System.Net;
using System.Text.Json;
using Wharf.Api.Volumes;

namespace Wharf.Api.Client;

/// <summary>The /volumes endpoints. Volume names are escaped: plugin drivers allow characters a path would misread.</summary>
public sealed class VolumesClient
{
    private readonly EngineClient _client;

    internal VolumesClient(EngineClient client) => _client = client;

    public Task<VolumeListResponse> ListAsync(string? filters = null, CancellationToken cancellationToken = default) =>
        _client.GetJsonAsync("volumes" + EngineClient.Query(("filters", filters)), StorageJsonContext.Default.VolumeListResponse, cancellationToken);

    public Task<JsonElement> InspectRawAsync(string name, CancellationToken cancellationToken = default) =>
        _client.GetRawJsonAsync($"volumes/{Uri.EscapeDataString(name)}", cancellationToken);

    public Task<Volume> CreateAsync(VolumeCreateRequest request, CancellationToken cancellationToken = default) =>
        _client.PostJsonAsync("volumes/create", request, StorageJsonContext.Default.VolumeCreateRequest, StorageJsonContext.Default.Volume, cancellationToken);

    public Task<HttpStatusCode> RemoveAsync(string name, bool force = false, CancellationToken cancellationToken = default) =>
        _client.DeleteAsync($"volumes/{Uri.EscapeDataString(name)}" + EngineClient.Query(("force", force ? "1" : null)), cancellationToken);

    public Task<VolumePruneResponse> PruneAsync(string? filters = null, CancellationToken cancellationToken = default) =>
        _client.PostAsync("volumes/prune" + EngineClient.Query(("filters", filters)), StorageJsonContext.Default.VolumePruneResponse, cancellationToken);
}
