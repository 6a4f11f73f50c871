using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Wharf.Registry.Hosting;
using Wharf.TestKit;

namespace Wharf.Registry.Tests;

/// <summary>Configurations that would look protected but are not are refused, and operational data is not public.</summary>
public sealed class RegistryHardeningTests
{
    [Fact]
    public async Task Start_TokenAuthWithoutUsers_IsRefused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => RegistryTestHost.StartAsync(new RegistryOptions { Auth = "token" }));
        Assert.Contains("--htpasswd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_WithAuth_NeedsCredentials()
    {
        using var temp = new TempDirectory("wharf-registry-metrics");
        var htpasswd = temp.Combine("htpasswd");
        await File.WriteAllTextAsync(htpasswd, $"dora:{BCrypt.Net.BCrypt.HashPassword("right", 4)}\n");
        await using var host = await RegistryTestHost.StartAsync(new RegistryOptions { Auth = "htpasswd", HtpasswdPath = htpasswd });

        using var anonymous = await host.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.DoesNotContain("registry_http_requests_total", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("dora:right")));
        using var allowed = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("registry_http_requests_total", await allowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
