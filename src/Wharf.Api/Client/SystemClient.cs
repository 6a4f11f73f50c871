using System.Net.Http.Headers;
using System.Text.Json;
using Wharf.Api.ImageStore;
using Wharf.Api.System;

namespace Wharf.Api.Client;

/// <summary>Daemon-wide endpoints: version, info, disk usage, events, registry login.</summary>
public sealed class SystemClient
{
    private readonly EngineClient _client;

    internal SystemClient(EngineClient client) => _client = client;

    public Task<SystemVersion> VersionAsync(CancellationToken cancellationToken = default) =>
        _client.GetJsonAsync("version", ApiJsonContext.Default.SystemVersion, cancellationToken);

    public Task<SystemInfo> InfoAsync(CancellationToken cancellationToken = default) =>
        _client.GetJsonAsync("info", ApiJsonContext.Default.SystemInfo, cancellationToken);

    public Task<JsonElement> InfoRawAsync(CancellationToken cancellationToken = default) =>
        _client.GetRawJsonAsync("info", cancellationToken);

    public Task<SystemDfResponse> DiskUsageAsync(CancellationToken cancellationToken = default) =>
        _client.GetJsonAsync("system/df", ImageStoreJsonContext.Default.SystemDfResponse, cancellationToken);

    /// <summary>The event stream (one JSON message per line) from <paramref name="since"/> to <paramref name="until"/>
    /// (unix timestamps); open-ended without until. The caller disposes.</summary>
    public Task<HttpResponseMessage> EventsAsync(string? since = null, string? until = null, string? filters = null, CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Get, "events" + EngineClient.Query(("filters", filters), ("since", since), ("until", until)), null, cancellationToken);

    /// <summary>POST /auth: the daemon checks the credentials against the registry; throws when they are refused.</summary>
    public async Task AuthAsync(string username, string password, string serverAddress, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("username", username);
            json.WriteString("password", password);
            json.WriteString("serveraddress", serverAddress);
            json.WriteEndObject();
        }

        using var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _client.SendAsync(HttpMethod.Post, "auth", content, cancellationToken).ConfigureAwait(false);
    }
}
