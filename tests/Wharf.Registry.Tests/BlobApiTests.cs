using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Wharf.Core;

namespace Wharf.Registry.Tests;

public sealed class BlobApiTests
{
    [Fact]
    public async Task Base_Get_AnswersWithApiVersionHeader()
    {
        await using var host = await RegistryTestHost.StartAsync();
        using var response = await host.Client.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-API-Version").Single());
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MonolithicUpload_ThenHeadAndGet_ServesBlobWithRanges()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var content = Encoding.ASCII.GetBytes("0123456789abcdef");
        var digest = await host.PushBlobAsync("lib/app", content);

        using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/lib/app/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(16, head.Content.Headers.ContentLength);
        Assert.Equal(digest.Value, head.Headers.GetValues("Docker-Content-Digest").Single());

        Assert.Equal(content, await host.Client.GetByteArrayAsync($"/v2/lib/app/blobs/{digest}"));

        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/v2/lib/app/blobs/{digest}");
        ranged.Headers.Range = new RangeHeaderValue(4, 7);
        using var partial = await host.Client.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("4567", await partial.Content.ReadAsStringAsync());

        // Not linked into another repository: invisible there.
        using var other = await host.Client.GetAsync($"/v2/other/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal("BLOB_UNKNOWN", await RegistryTestHost.ErrorCodeAsync(other));
    }

    [Fact]
    public async Task ChunkedUpload_WithStatusAndOutOfOrderChunk_CompletesAndRejects416()
    {
        await using var host = await RegistryTestHost.StartAsync();
        using var start = await host.Client.PostAsync("/v2/chunky/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!.ToString();
        Assert.Equal("0-0", start.Headers.GetValues("Range").Single());
        Assert.False(string.IsNullOrEmpty(start.Headers.GetValues("Docker-Upload-UUID").Single()));

        using var first = await Patch(host, location, "hello ", "0-5");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("0-5", first.Headers.GetValues("Range").Single());

        using var outOfOrder = await Patch(host, location, "xx", "10-11");
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, outOfOrder.StatusCode);

        using var second = await Patch(host, location, "world", "6-10");
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);

        using var status = await host.Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-10", status.Headers.GetValues("Range").Single());

        var digest = Digest.Compute("hello world"u8);
        using var put = await host.Client.PutAsync($"{location}?digest={digest}", null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal($"/v2/chunky/blobs/{digest}", put.Headers.Location!.ToString());
        Assert.Equal("hello world", await host.Client.GetStringAsync($"/v2/chunky/blobs/{digest}"));

        // The finished upload is gone.
        using var after = await host.Client.GetAsync(location);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await RegistryTestHost.ErrorCodeAsync(after));
    }

    [Fact]
    public async Task PostThenPut_WithBodyAndWrongDigest_IsDigestInvalidAndStoresNothing()
    {
        await using var host = await RegistryTestHost.StartAsync();
        using var start = await host.Client.PostAsync("/v2/bad/blobs/uploads/", null);
        var location = start.Headers.Location!.ToString();
        var claimed = Digest.Compute("something else"u8);
        using var put = await host.Client.PutAsync($"{location}?digest={claimed}", new ByteArrayContent("actual bytes"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await RegistryTestHost.ErrorCodeAsync(put));
        Assert.Empty(host.Storage.List("blobs/sha256"));
        using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/bad/blobs/{Digest.Compute("actual bytes"u8)}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);

        // POST+PUT with the right digest works.
        using var again = await host.Client.PostAsync("/v2/bad/blobs/uploads/", null);
        using var ok = await host.Client.PutAsync($"{again.Headers.Location}?digest={Digest.Compute("actual bytes"u8)}", new ByteArrayContent("actual bytes"u8.ToArray()));
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
    }

    [Fact]
    public async Task DeleteUpload_CancelsIt()
    {
        await using var host = await RegistryTestHost.StartAsync();
        using var start = await host.Client.PostAsync("/v2/c/blobs/uploads/", null);
        var location = start.Headers.Location!.ToString();
        using var patch = await Patch(host, location, "partial", null);
        using var cancel = await host.Client.DeleteAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        using var status = await host.Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Empty(host.Storage.List("repositories/c/_uploads"));
    }

    [Fact]
    public async Task CrossRepositoryMount_KnownBlob_Is201AndUnknownFallsBackToUpload()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var digest = await host.PushBlobAsync("source/repo", "shared layer"u8.ToArray());
        using var mounted = await host.Client.PostAsync($"/v2/target/blobs/uploads/?mount={digest}&from=source/repo", null);
        Assert.Equal(HttpStatusCode.Created, mounted.StatusCode);
        Assert.Equal(digest.Value, mounted.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal("shared layer", await host.Client.GetStringAsync($"/v2/target/blobs/{digest}"));

        using var fallback = await host.Client.PostAsync($"/v2/target/blobs/uploads/?mount={Digest.Compute("nope"u8)}&from=source/repo", null);
        Assert.Equal(HttpStatusCode.Accepted, fallback.StatusCode);
    }

    [Fact]
    public async Task DeleteBlob_UnlinksIt()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var digest = await host.PushBlobAsync("d", "x"u8.ToArray());
        using var delete = await host.Client.DeleteAsync($"/v2/d/blobs/{digest}");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        using var get = await host.Client.GetAsync($"/v2/d/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task SameBlobPushedConcurrently_BothSucceedAndOneCopyIsStored()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var content = Encoding.ASCII.GetBytes(new string('z', 100_000));
        var pushes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => host.PushBlobAsync("race", content)));
        Assert.All(pushes, d => Assert.Equal(pushes[0], d));
        var prefixes = host.Storage.List("blobs/sha256");
        Assert.Single(prefixes);
        Assert.Single(host.Storage.List(prefixes[0]));
        Assert.Equal(content, await host.Client.GetByteArrayAsync($"/v2/race/blobs/{pushes[0]}"));
    }

    [Fact]
    public async Task InvalidName_IsNameInvalid()
    {
        await using var host = await RegistryTestHost.StartAsync();
        using var response = await host.Client.PostAsync("/v2/UPPER/case/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("NAME_INVALID", await RegistryTestHost.ErrorCodeAsync(response));
    }

    private static Task<HttpResponseMessage> Patch(RegistryTestHost host, string location, string text, string? range)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(Encoding.ASCII.GetBytes(text)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (range is not null) request.Content.Headers.TryAddWithoutValidation("Content-Range", range);
        return host.Client.SendAsync(request);
    }
}
