using System.Globalization;
using System.Net;
using System.Text.Json;
using Wharf.Api.Containers;

namespace Wharf.Api.Client;

/// <summary>Exec instances: POST /containers/{id}/exec creates one, /exec/{id}/… drives it.</summary>
public sealed class ExecsClient
{
    private readonly EngineClient _client;

    internal ExecsClient(EngineClient client) => _client = client;

    public Task<Common.IdResponse> CreateAsync(string container, ExecConfig config, CancellationToken cancellationToken = default) =>
        _client.PostJsonAsync($"containers/{container}/exec", config, ApiJsonContext.Default.ExecConfig, ApiJsonContext.Default.IdResponse, cancellationToken);

    /// <summary>Starts a detached exec (no stream).</summary>
    public async Task StartDetachedAsync(string id, ExecStartConfig start, CancellationToken cancellationToken = default)
    {
        using var content = EngineClient.JsonContent(start, ApiJsonContext.Default.ExecStartConfig);
        using var response = await _client.SendAsync(HttpMethod.Post, $"exec/{id}/start", content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the exec on a hijacked connection carrying its stdio.</summary>
    public Task<HijackedStream> StartAttachedAsync(string id, ExecStartConfig start, CancellationToken cancellationToken = default) =>
        _client.HijackAsync($"exec/{id}/start", JsonSerializer.SerializeToUtf8Bytes(start, ApiJsonContext.Default.ExecStartConfig), "application/json", cancellationToken);

    public Task<HttpStatusCode> ResizeAsync(string id, int height, int width, CancellationToken cancellationToken = default) =>
        _client.PostAsync(string.Create(CultureInfo.InvariantCulture, $"exec/{id}/resize?h={height}&w={width}"), cancellationToken);

    public Task<ExecInspect> InspectAsync(string id, CancellationToken cancellationToken = default) =>
        _client.GetJsonAsync($"exec/{id}/json", ApiJsonContext.Default.ExecInspect, cancellationToken);
}
