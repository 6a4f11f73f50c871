using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Wharf.Core;
using Wharf.Registry.Gc;
using Wharf.Registry.Hosting;
using Wharf.Registry.Storage;
using Wharf.TestKit;

namespace Wharf.Registry.Tests;

/// <summary>The issue's bad-input list, each on its own: what a registry must refuse, and that refused or
/// abandoned data never becomes visible.</summary>
public sealed class RegistryBadInputTests
{
    [Fact]
    public async Task MonolithicUpload_WrongDigest_IsDigestInvalidAndNothingIsStored()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var claimed = Digest.Compute("what the client claims"u8);
        using var response = await host.Client.PostAsync($"/v2/mono/blobs/uploads/?digest={claimed}", new ByteArrayContent("what it sends"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("DIGEST_INVALID", await RegistryTestHost.ErrorCodeAsync(response));
        Assert.Empty(host.Storage.List("blobs/sha256"));
        Assert.Empty(host.Storage.List("repositories/mono/_uploads"));
        using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/mono/blobs/{claimed}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task Manifest_ReferencingAMissingLayer_IsManifestBlobUnknownAndNotTagged()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var config = await host.PushBlobAsync("holes/app", "{}"u8.ToArray());
        var missing = Digest.Compute("never uploaded"u8);
        var body = RegistryTestHost.Manifest("application/vnd.oci.image.manifest.v1+json", config, 2, missing, 14);
        using var put = await host.PutManifestAsync("holes/app", "v1", body, "application/vnd.oci.image.manifest.v1+json");
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await RegistryTestHost.ErrorCodeAsync(put));
        using var get = await host.Client.GetAsync("/v2/holes/app/manifests/v1");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Theory]
    [InlineData("/v2/Bad_Name/manifests/v1", "NAME_INVALID")]
    [InlineData("/v2/a..b/blobs/uploads/", "NAME_INVALID")]
    [InlineData("/v2/ok/manifests/-starts-with-dash", "TAG_INVALID")]
    [InlineData("/v2/ok/manifests/" + "t23456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789", "TAG_INVALID")]
    public async Task Push_InvalidNameOrTag_IsRejectedWithSpecCode(string path, string code)
    {
        await using var host = await RegistryTestHost.StartAsync();
        var (digest, body) = await host.PushImageAsync("ok", "good");
        HttpResponseMessage response;
        if (path.Contains("/manifests/", StringComparison.Ordinal))
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
            response = await host.Client.PutAsync(path, content);
        }
        else
        {
            response = await host.Client.PostAsync(path, null);
        }
        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(code, await RegistryTestHost.ErrorCodeAsync(response));
        }
        Assert.NotEqual(default, digest);
    }

    [Fact]
    public async Task WrongCredentials_Are401WithTheSpecErrorBody()
    {
        using var temp = new TempDirectory("wharf-registry-401");
        var htpasswd = temp.Combine("htpasswd");
        await File.WriteAllTextAsync(htpasswd, $"dora:{BCrypt.Net.BCrypt.HashPassword("right", 4)}\n");
        foreach (var auth in new[] { "htpasswd", "token" })
        {
            await using var host = await RegistryTestHost.StartAsync(new RegistryOptions { Auth = auth, HtpasswdPath = htpasswd });
            var path = auth == "token" ? "/token?service=wharf-registry&scope=repository:x/y:pull" : "/v2/x/y/tags/list";
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("dora:wrong")));
            using var response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            // The registry challenges; the token endpoint just refuses.
            if (auth == "htpasswd") Assert.NotEmpty(response.Headers.WwwAuthenticate);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var error = document.RootElement.GetProperty("errors")[0];
            Assert.Equal("UNAUTHORIZED", error.GetProperty("code").GetString());
            Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        }
    }

    [Fact]
    public async Task InterruptedUpload_IsInvisibleAndGarbageCollectReclaimsItOnceOlderThanTheThreshold()
    {
        using var temp = new TempDirectory("wharf-registry-halfupload");
        var storage = new FileSystemStorageDriver(temp.Path);
        var half = "the first half of a blob"u8.ToArray();
        var whole = half.Concat("and the second half"u8.ToArray()).ToArray();
        string oldUpload;
        await using (var host = await RegistryTestHost.StartAsync(storage: storage))
        {
            await host.PushImageAsync("half/app", "v1");
            using var old = await host.Client.PostAsync("/v2/half/app/blobs/uploads/", null);
            oldUpload = old.Headers.Location!.ToString();
            using (var patch = await host.Client.PatchAsync(oldUpload, new ByteArrayContent(half))) Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
            using var recent = await host.Client.PostAsync("/v2/half/app/blobs/uploads/", null);
            using (var patch = await host.Client.PatchAsync(recent.Headers.Location, new ByteArrayContent(half))) Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);

            // Neither the half nor the whole blob exists for readers; a manifest cannot reference it.
            foreach (var digest in new[] { Digest.Compute(half), Digest.Compute(whole) })
            {
                using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/half/app/blobs/{digest}"));
                Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
            }
            Assert.DoesNotContain(storage.List("blobs/sha256"), p => p.EndsWith(Digest.Compute(half).Hex[..2], StringComparison.Ordinal)
                && storage.List(p).Any(b => b.EndsWith(Digest.Compute(half).Hex, StringComparison.Ordinal)));
        }

        // The first upload was started two hours ago (the client vanished); the second just now.
        var oldId = oldUpload.TrimEnd('/').Split('/')[^1].Split('?')[0];
        storage.PutContent($"repositories/half/app/_uploads/{oldId}/startedat",
            Encoding.ASCII.GetBytes(DateTimeOffset.UtcNow.AddHours(-2).ToString("O", CultureInfo.InvariantCulture)));
        var result = new GarbageCollector(storage, TextWriter.Null, TimeProvider.System, TimeSpan.FromHours(1)).Run(dryRun: false);
        Assert.Equal(1, result.AbandonedUploads);
        var left = Assert.Single(storage.List("repositories/half/app/_uploads"));
        Assert.NotEqual(oldId, left.Split('/')[^1]);
        Assert.Equal(TimeSpan.FromHours(1), RegistryConfigLoader.ApplyFlags(new RegistryOptions(), ["--upload-max-age", "60m"]).UploadMaxAge);
    }
}
