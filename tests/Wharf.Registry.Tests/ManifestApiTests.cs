using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Wharf.Core;

namespace Wharf.Registry.Tests;

public sealed class ManifestApiTests
{
    private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    private const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    private const string OciIndex = "application/vnd.oci.image.index.v1+json";

    [Fact]
    public async Task PutManifest_ThenGetByTagAndDigest_ReturnsSameBytesAndMediaType()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var (digest, body) = await host.PushImageAsync("lib/img", "v1", DockerManifest);

        foreach (var reference in new[] { "v1", digest.Value })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/lib/img/manifests/{reference}");
            request.Headers.Accept.ParseAdd(DockerManifest);
            request.Headers.Accept.ParseAdd(OciManifest);
            using var response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(DockerManifest, response.Content.Headers.ContentType!.MediaType);
            Assert.Equal(digest.Value, response.Headers.GetValues("Docker-Content-Digest").Single());
            Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
        }

        using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v2/lib/img/manifests/v1"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(body.Length, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task PutManifest_MissingBlob_IsManifestBlobUnknown()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var body = RegistryTestHost.Manifest(OciManifest, Digest.Compute("c"u8), 1, Digest.Compute("l"u8), 1);
        using var response = await host.PutManifestAsync("m", "t", body, OciManifest);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await RegistryTestHost.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task PutManifest_BadTagOrDigestOrJson_IsRejectedWithSpecCodes()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var (_, body) = await host.PushImageAsync("m", "ok");
        using var badTag = await host.PutManifestAsync("m", "-bad", body, OciManifest);
        Assert.Equal("TAG_INVALID", await RegistryTestHost.ErrorCodeAsync(badTag));
        using var badDigest = await host.PutManifestAsync("m", Digest.Compute("other"u8).Value, body, OciManifest);
        Assert.Equal("DIGEST_INVALID", await RegistryTestHost.ErrorCodeAsync(badDigest));
        using var badJson = await host.PutManifestAsync("m", "x", "not json"u8.ToArray(), OciManifest);
        Assert.Equal("MANIFEST_INVALID", await RegistryTestHost.ErrorCodeAsync(badJson));
        using var unknown = await host.Client.GetAsync("/v2/m/manifests/nope");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", await RegistryTestHost.ErrorCodeAsync(unknown));
    }

    [Fact]
    public async Task Index_NegotiatesDownToPlatformManifestForClientsWithoutIndexSupport()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var (amd64, amd64Body) = await host.PushImageAsync("multi", "amd", DockerManifest, layerText: "amd64");
        var (arm64, armBody) = await host.PushImageAsync("multi", "arm", DockerManifest, layerText: "arm64");
        var index = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"{{OciIndex}}","manifests":[
              {"mediaType":"{{DockerManifest}}","digest":"{{arm64}}","size":{{armBody.Length}},"platform":{"os":"linux","architecture":"arm64"} },
              {"mediaType":"{{DockerManifest}}","digest":"{{amd64}}","size":{{amd64Body.Length}},"platform":{"os":"linux","architecture":"amd64"} }]}
            """);
        using var put = await host.PutManifestAsync("multi", "latest", index, OciIndex);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        using var full = new HttpRequestMessage(HttpMethod.Get, "/v2/multi/manifests/latest");
        full.Headers.Accept.ParseAdd(OciIndex);
        using var fullResponse = await host.Client.SendAsync(full);
        Assert.Equal(OciIndex, fullResponse.Content.Headers.ContentType!.MediaType);

        using var narrow = new HttpRequestMessage(HttpMethod.Get, "/v2/multi/manifests/latest");
        narrow.Headers.Accept.ParseAdd(DockerManifest);
        using var narrowResponse = await host.Client.SendAsync(narrow);
        Assert.Equal(DockerManifest, narrowResponse.Content.Headers.ContentType!.MediaType);
        Assert.Equal(amd64.Value, narrowResponse.Headers.GetValues("Docker-Content-Digest").Single());

        // An index whose child is not in the repository is refused.
        var dangling = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{OciIndex}}","manifests":[{"mediaType":"{{DockerManifest}}","digest":"{{Digest.Compute("x"u8)}}","size":1}]}""");
        using var bad = await host.PutManifestAsync("multi", "bad", dangling, OciIndex);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await RegistryTestHost.ErrorCodeAsync(bad));
    }

    [Fact]
    public async Task DeleteManifest_ByDigestRemovesTagsAndByTagRemovesOnlyTag()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var (digest, _) = await host.PushImageAsync("del", "a");
        await host.PushImageAsync("del", "b");
        using var byTag = await host.Client.DeleteAsync("/v2/del/manifests/a");
        Assert.Equal(HttpStatusCode.Accepted, byTag.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/v2/del/manifests/a")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync($"/v2/del/manifests/{digest}")).StatusCode);

        using var byDigest = await host.Client.DeleteAsync($"/v2/del/manifests/{digest}");
        Assert.Equal(HttpStatusCode.Accepted, byDigest.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/v2/del/manifests/b")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"/v2/del/manifests/{digest}")).StatusCode);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256:abc")]
    [InlineData("sha512:00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("-not-a-tag")]
    public async Task GetAndHeadManifest_Missing_Is404ManifestUnknown(string reference)
    {
        await using var host = await RegistryTestHost.StartAsync();
        await host.PushImageAsync("m", "ok");
        using var get = await host.Client.GetAsync($"/v2/m/manifests/{reference}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", await RegistryTestHost.ErrorCodeAsync(get));
        using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/m/manifests/{reference}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task TagsAndCatalog_PaginateWithLinkHeaders()
    {
        await using var host = await RegistryTestHost.StartAsync();
        foreach (var tag in new[] { "c", "a", "b", "d" }) await host.PushImageAsync("pag/one", tag);
        await host.PushImageAsync("pag/two", "x");
        await host.PushImageAsync("alpha", "x");

        using var all = await host.Client.GetAsync("/v2/pag/one/tags/list");
        Assert.Equal(["a", "b", "c", "d"], await ListAsync(all, "tags"));

        using var page1 = await host.Client.GetAsync("/v2/pag/one/tags/list?n=2");
        Assert.Equal(["a", "b"], await ListAsync(page1, "tags"));
        Assert.Equal("</v2/pag/one/tags/list?n=2&last=b>; rel=\"next\"", page1.Headers.GetValues("Link").Single());
        using var page2 = await host.Client.GetAsync("/v2/pag/one/tags/list?n=2&last=b");
        Assert.Equal(["c", "d"], await ListAsync(page2, "tags"));
        Assert.False(page2.Headers.Contains("Link"));

        using var catalog = await host.Client.GetAsync("/v2/_catalog?n=2");
        Assert.Equal(["alpha", "pag/one"], await ListAsync(catalog, "repositories"));
        Assert.Contains("last=pag%2Fone", catalog.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        using var rest = await host.Client.GetAsync("/v2/_catalog?n=2&last=pag/one");
        Assert.Equal(["pag/two"], await ListAsync(rest, "repositories"));

        using var unknown = await host.Client.GetAsync("/v2/nothing/tags/list");
        Assert.Equal("NAME_UNKNOWN", await RegistryTestHost.ErrorCodeAsync(unknown));
    }

    [Fact]
    public async Task Referrers_ListArtifactsWithSubjectAndFilterByArtifactType()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var (subject, _) = await host.PushImageAsync("ref", "base");
        var config = "{}"u8.ToArray();
        var configDigest = await host.PushBlobAsync("ref", config);
        var sigLayer = await host.PushBlobAsync("ref", "signature"u8.ToArray());
        var sbomLayer = await host.PushBlobAsync("ref", "sbom"u8.ToArray());
        var signature = RegistryTestHost.Manifest(OciManifest, configDigest, 2, sigLayer, 9, "application/vnd.example.signature", subject);
        var sbom = RegistryTestHost.Manifest(OciManifest, configDigest, 2, sbomLayer, 4, "application/vnd.example.sbom", subject);
        using var pushSig = await host.PutManifestAsync("ref", Digest.Compute(signature).Value, signature, OciManifest);
        Assert.Equal(HttpStatusCode.Created, pushSig.StatusCode);
        Assert.Equal(subject.Value, pushSig.Headers.GetValues("OCI-Subject").Single());
        using var pushSbom = await host.PutManifestAsync("ref", Digest.Compute(sbom).Value, sbom, OciManifest);

        using var all = await host.Client.GetAsync($"/v2/ref/referrers/{subject}");
        Assert.Equal(OciIndex, all.Content.Headers.ContentType!.MediaType);
        using (var document = JsonDocument.Parse(await all.Content.ReadAsStringAsync()))
        {
            var types = document.RootElement.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("artifactType").GetString()).Order().ToList();
            Assert.Equal(["application/vnd.example.sbom", "application/vnd.example.signature"], types);
        }

        using var filtered = await host.Client.GetAsync($"/v2/ref/referrers/{subject}?artifactType=application/vnd.example.sbom");
        Assert.Equal("artifactType", filtered.Headers.GetValues("OCI-Filters-Applied").Single());
        using (var document = JsonDocument.Parse(await filtered.Content.ReadAsStringAsync()))
        {
            var only = Assert.Single(document.RootElement.GetProperty("manifests").EnumerateArray());
            Assert.Equal(Digest.Compute(sbom).Value, only.GetProperty("digest").GetString());
            Assert.Equal("test", only.GetProperty("annotations").GetProperty("org.example.note").GetString());
        }

        using var none = await host.Client.GetAsync($"/v2/ref/referrers/{Digest.Compute("nothing"u8)}");
        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
    }

    private static async Task<List<string>> ListAsync(HttpResponseMessage response, string property)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToList();
    }
}
