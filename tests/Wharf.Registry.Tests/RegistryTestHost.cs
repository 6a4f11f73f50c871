using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Wharf.Core;
using Wharf.Registry.Hosting;
using Wharf.Registry.Storage;

namespace Wharf.Registry.Tests;

/// <summary>A registry on 127.0.0.1:&lt;free port&gt; with an HttpClient pointed at it, plus push helpers.</summary>
internal sealed class RegistryTestHost : IAsyncDisposable
{
    private RegistryTestHost(RegistryServer server, HttpClient client, IStorageDriver storage)
    {
        Server = server;
        Client = client;
        Storage = storage;
    }

    public RegistryServer Server { get; }
    public HttpClient Client { get; }
    public IStorageDriver Storage { get; }

    public static async Task<RegistryTestHost> StartAsync(RegistryOptions? options = null, IStorageDriver? storage = null, HttpMessageHandler? handler = null)
    {
        storage ??= new InMemoryStorageDriver();
        var server = await RegistryServer.StartAsync((options ?? new RegistryOptions()) with { Listen = "127.0.0.1:0" }, storage);
        var client = handler is null ? new HttpClient() : new HttpClient(handler);
        client.BaseAddress = server.BaseAddress;
        return new RegistryTestHost(server, client, storage);
    }

    public async Task<Digest> PushBlobAsync(string repository, byte[] content)
    {
        var digest = Digest.Compute(content);
        using var response = await Client.PostAsync($"/v2/{repository}/blobs/uploads/?digest={digest}", new ByteArrayContent(content));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return digest;
    }

    /// <summary>Pushes a config and one layer, then an image manifest of <paramref name="mediaType"/>; returns its digest and bytes.</summary>
    public async Task<(Digest Digest, byte[] Body)> PushImageAsync(string repository, string reference, string mediaType = "application/vnd.oci.image.manifest.v1+json",
        string? artifactType = null, Digest? subject = null, string layerText = "layer")
    {
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        var layer = Encoding.UTF8.GetBytes(layerText);
        var configDigest = await PushBlobAsync(repository, config);
        var layerDigest = await PushBlobAsync(repository, layer);
        var body = Manifest(mediaType, configDigest, config.Length, layerDigest, layer.Length, artifactType, subject);
        using var response = await PutManifestAsync(repository, reference, body, mediaType);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (Digest.Compute(body), body);
    }

    public static byte[] Manifest(string mediaType, Digest config, long configSize, Digest layer, long layerSize, string? artifactType = null, Digest? subject = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", mediaType);
            if (artifactType is not null) json.WriteString("artifactType", artifactType);
            json.WriteStartObject("config");
            json.WriteString("mediaType", mediaType.Contains("docker", StringComparison.Ordinal) ? "application/vnd.docker.container.image.v1+json" : "application/vnd.oci.image.config.v1+json");
            json.WriteString("digest", config.Value);
            json.WriteNumber("size", configSize);
            json.WriteEndObject();
            json.WriteStartArray("layers");
            json.WriteStartObject();
            json.WriteString("mediaType", "application/vnd.oci.image.layer.v1.tar");
            json.WriteString("digest", layer.Value);
            json.WriteNumber("size", layerSize);
            json.WriteEndObject();
            json.WriteEndArray();
            if (subject is { } s)
            {
                json.WriteStartObject("subject");
                json.WriteString("mediaType", "application/vnd.oci.image.manifest.v1+json");
                json.WriteString("digest", s.Value);
                json.WriteNumber("size", 1);
                json.WriteEndObject();
            }
            json.WriteStartObject("annotations");
            json.WriteString("org.example.note", "test");
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public Task<HttpResponseMessage> PutManifestAsync(string repository, string reference, byte[] body, string mediaType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return Client.PutAsync($"/v2/{repository}/manifests/{reference}", content);
    }

    public static async Task<string> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("errors")[0].GetProperty("code").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
