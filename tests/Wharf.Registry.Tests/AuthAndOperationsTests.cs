using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Wharf.Core;
using Wharf.Registry.Gc;
using Wharf.Registry.Hosting;
using Wharf.Registry.Storage;
using Wharf.TestKit;

namespace Wharf.Registry.Tests;

public sealed class AuthAndOperationsTests
{
    [Fact]
    public async Task Htpasswd_WrongOrMissingCredentials_Are401WithChallengeAndRightOnesPass()
    {
        using var temp = new TempDirectory("wharf-registry-auth");
        var htpasswd = temp.Combine("htpasswd");
        await File.WriteAllTextAsync(htpasswd, $"alice:{BCrypt.Net.BCrypt.HashPassword("s3cret", 4)}\n");
        await using var host = await RegistryTestHost.StartAsync(new RegistryOptions { Auth = "htpasswd", HtpasswdPath = htpasswd });

        using var anonymous = await host.Client.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic realm=\"wharf-registry\"", anonymous.Headers.WwwAuthenticate.Single().ToString());
        Assert.Equal("UNAUTHORIZED", await RegistryTestHost.ErrorCodeAsync(anonymous));

        host.Client.DefaultRequestHeaders.Authorization = Basic("alice", "wrong");
        using var wrong = await host.Client.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        host.Client.DefaultRequestHeaders.Authorization = Basic("alice", "s3cret");
        using var right = await host.Client.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        await host.PushImageAsync("private/app", "v1");
    }

    [Fact]
    public async Task TokenAuth_FollowsChallengeToTokenEndpointAndScopesAreEnforced()
    {
        using var temp = new TempDirectory("wharf-registry-token");
        var htpasswd = temp.Combine("htpasswd");
        await File.WriteAllTextAsync(htpasswd, $"bob:{BCrypt.Net.BCrypt.HashPassword("pw", 4)}\n");
        await using var host = await RegistryTestHost.StartAsync(new RegistryOptions { Auth = "token", HtpasswdPath = htpasswd, TokenService = "test-registry" });

        using var challenged = await host.Client.GetAsync("/v2/team/app/tags/list");
        Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
        var challenge = challenged.Headers.WwwAuthenticate.Single().ToString();
        Assert.StartsWith("Bearer realm=\"http://127.0.0.1:", challenge, StringComparison.Ordinal);
        Assert.Contains("service=\"test-registry\"", challenge, StringComparison.Ordinal);
        Assert.Contains("scope=\"repository:team/app:pull\"", challenge, StringComparison.Ordinal);

        using var badLogin = new HttpRequestMessage(HttpMethod.Get, "/token?service=test-registry&scope=repository:team/app:pull,push");
        badLogin.Headers.Authorization = Basic("bob", "nope");
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(badLogin)).StatusCode);

        var pullOnly = await TokenAsync(host, "repository:team/app:pull");
        host.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", pullOnly);
        using var pushWithPullToken = await host.Client.PostAsync("/v2/team/app/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Unauthorized, pushWithPullToken.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", pushWithPullToken.Headers.WwwAuthenticate.Single().ToString(), StringComparison.Ordinal);
        Assert.Contains("repository:team/app:pull,push", pushWithPullToken.Headers.WwwAuthenticate.Single().ToString(), StringComparison.Ordinal);

        var pushPull = await TokenAsync(host, "repository:team/app:pull,push");
        host.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", pushPull);
        await host.PushImageAsync("team/app", "v1");
        using var otherRepo = await host.Client.GetAsync("/v2/other/tags/list");
        Assert.Equal(HttpStatusCode.Unauthorized, otherRepo.StatusCode);

        host.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", pushPull[..^4] + "AAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync("/v2/team/app/tags/list")).StatusCode);
    }

    [Fact]
    public async Task ReadOnly_RefusesWritesButServesReadsAndMetricsCount()
    {
        var storage = new InMemoryStorageDriver();
        await using (var writable = await RegistryTestHost.StartAsync(storage: storage))
        {
            await writable.PushImageAsync("ro", "v1");
        }
        await using var host = await RegistryTestHost.StartAsync(new RegistryOptions { ReadOnly = true }, storage);
        using var push = await host.Client.PostAsync("/v2/ro/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, push.StatusCode);
        Assert.Equal("UNSUPPORTED", await RegistryTestHost.ErrorCodeAsync(push));
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/v2/ro/manifests/v1")).StatusCode);

        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains("# TYPE registry_http_requests_total counter", metrics, StringComparison.Ordinal);
        Assert.Contains("registry_http_requests_total{method=\"POST\",code=\"405\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("registry_http_requests_total{method=\"GET\",code=\"200\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_ServesHttpsWithGivenCertificate()
    {
        using var temp = new TempDirectory("wharf-registry-tls");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(temp.Combine("cert.pem"), certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(temp.Combine("key.pem"), key.ExportPkcs8PrivateKeyPem());
        var thumbprint = certificate.Thumbprint;

        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == thumbprint };
        await using var host = await RegistryTestHost.StartAsync(
            new RegistryOptions { TlsCertificate = temp.Combine("cert.pem"), TlsKey = temp.Combine("key.pem") }, handler: handler);
        Assert.Equal("https", host.Server.BaseAddress.Scheme);
        using var response = await host.Client.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GarbageCollect_SweepsUnreferencedBlobsAndUploadsButKeepsReferenced()
    {
        using var temp = new TempDirectory("wharf-registry-gc");
        var storage = new FileSystemStorageDriver(temp.Path);
        Digest orphan;
        Digest manifest;
        await using (var host = await RegistryTestHost.StartAsync(storage: storage))
        {
            (manifest, _) = await host.PushImageAsync("gc/app", "v1");
            orphan = await host.PushBlobAsync("gc/app", "nobody references me"u8.ToArray());
            using var half = await host.Client.PostAsync("/v2/gc/app/blobs/uploads/", null);
            using var patch = await host.Client.PatchAsync(half.Headers.Location, new ByteArrayContent("half an upload"u8.ToArray()));
        }

        var dry = new GarbageCollector(storage, TextWriter.Null).Run(dryRun: true);
        Assert.Equal([orphan], dry.Swept);
        Assert.Equal(1, dry.AbandonedUploads);
        Assert.NotNull(storage.Stat($"blobs/sha256/{orphan.Hex[..2]}/{orphan.Hex}/data"));

        var result = new GarbageCollector(storage, TextWriter.Null).Run(dryRun: false);
        Assert.Equal([orphan], result.Swept);
        Assert.Equal(3, result.Marked); // manifest, config, layer
        Assert.Null(storage.Stat($"blobs/sha256/{orphan.Hex[..2]}/{orphan.Hex}"));
        Assert.Empty(storage.List("repositories/gc/app/_uploads"));

        await using var after = await RegistryTestHost.StartAsync(storage: storage);
        var body = await after.Client.GetStringAsync($"/v2/gc/app/manifests/{manifest}");
        using var document = JsonDocument.Parse(body);
        var layer = document.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString();
        Assert.Equal("layer", await after.Client.GetStringAsync($"/v2/gc/app/blobs/{layer}"));
        Assert.Equal(HttpStatusCode.NotFound, (await after.Client.GetAsync($"/v2/gc/app/blobs/{orphan}")).StatusCode);
    }

    [Fact]
    public void ConfigFile_ThenFlags_OverrideInOrder()
    {
        using var temp = new TempDirectory("wharf-registry-config");
        var path = temp.Combine("config.json");
        File.WriteAllText(path, """{"listen":"127.0.0.1:6000","root":"/srv/reg","auth":"htpasswd","htpasswd":"/etc/htp","readOnly":true,"tls":{"certificate":"c.pem","key":"k.pem"}}""");
        var fromFile = RegistryConfigLoader.FromFile(path);
        Assert.Equal("127.0.0.1:6000", fromFile.Listen);
        Assert.True(fromFile.ReadOnly);
        Assert.Equal("c.pem", fromFile.TlsCertificate);
        var merged = RegistryConfigLoader.ApplyFlags(fromFile, ["--config", path, "--listen", "0.0.0.0:5001", "--root", "/data"]);
        Assert.Equal("0.0.0.0:5001", merged.Listen);
        Assert.Equal("/data", merged.Root);
        Assert.Equal("htpasswd", merged.Auth);
        Assert.Throws<ArgumentException>(() => RegistryConfigLoader.ApplyFlags(fromFile, ["--bogus"]));
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static async Task<string> TokenAsync(RegistryTestHost host, string scope)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/token?service=test-registry&scope={Uri.EscapeDataString(scope)}");
        request.Headers.Authorization = Basic("bob", "pw");
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("token").GetString()!;
    }
}
