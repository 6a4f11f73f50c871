using System.Net;
using System.Text.Json;
using Wharf.Api.Networks;

namespace Wharf.Api.Client;

/// <summary>The /networks endpoints.</summary>
public sealed class NetworksClient
{
    private readonly EngineClient _client;

    internal NetworksClient(EngineClient client) => _client = client;

    public Task<List<NetworkResource>> ListAsync(string? filters = null, CancellationToken cancellationToken = default) =>
        _client.GetJsonAsync("networks" + EngineClient.Query(("filters", filters)), NetworkApiJsonContext.Default.ListNetworkResource, cancellationToken);

    public Task<JsonElement> InspectRawAsync(string id, CancellationToken cancellationToken = default) =>
        _client.GetRawJsonAsync($"networks/{id}", cancellationToken);

    /// <summary>docker network inspect --verbose: the engine adds diagnostics (swarm services per network) when asked.</summary>
    public Task<JsonElement> InspectRawAsync(string id, bool verbose, CancellationToken cancellationToken = default) =>
        _client.GetRawJsonAsync(verbose ? $"networks/{id}?verbose=true" : $"networks/{id}", cancellationToken);

    public Task<NetworkCreateResponse> CreateAsync(NetworkCreateRequest request, CancellationToken cancellationToken = default) =>
        _client.PostJsonAsync("networks/create", request, NetworkApiJsonContext.Default.NetworkCreateRequest, NetworkApiJsonContext.Default.NetworkCreateResponse, cancellationToken);

    public Task<HttpStatusCode> RemoveAsync(string id, CancellationToken cancellationToken = default) =>
        _client.DeleteAsync($"networks/{id}", cancellationToken);

    public async Task ConnectAsync(string id, NetworkConnectRequest request, CancellationToken cancellationToken = default)
    {
        using var content = EngineClient.JsonContent(request, NetworkApiJsonContext.Default.NetworkConnectRequest);
        using var response = await _client.SendAsync(HttpMethod.Post, $"networks/{id}/connect", content, cancellationToken).ConfigureAwait(false);
    }

    public async Task DisconnectAsync(string id, NetworkDisconnectRequest request, CancellationToken cancellationToken = default)
    {
        using var content = EngineClient.JsonContent(request, NetworkApiJsonContext.Default.NetworkDisconnectRequest);
        using var response = await _client.SendAsync(HttpMethod.Post, $"networks/{id}/disconnect", content, cancellationToken).ConfigureAwait(false);
    }

    public Task<NetworkPruneResponse> PruneAsync(string? filters = null, CancellationToken cancellationToken = default) =>
        _client.PostAsync("networks/prune" + EngineClient.Query(("filters", filters)), NetworkApiJsonContext.Default.NetworkPruneResponse, cancellationToken);
}
