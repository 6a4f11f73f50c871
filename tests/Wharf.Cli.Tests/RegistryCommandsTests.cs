using System.Net;
using System.Net.Sockets;
using System.Text;
using Wharf.Cli.Registry;

namespace Wharf.Cli.Tests;

/// <summary>manifest inspect and search against a small registry on 127.0.0.1 (HttpListener) that serves fixed answers.</summary>
public sealed class RegistryCommandsTests : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly List<string> _seen = [];

    public RegistryCommandsTests()
    {
        // A free loopback port: bind 0, read it, release it for the listener.
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    private int Port { get; }

    private string Host => $"127.0.0.1:{Port}";

    public void Dispose()
    {
        // Close alone: Stop then Close makes the managed HttpListener unregister twice, and the second time it
        // binds the port afresh to find its endpoint, which fails ("Address already in use") when the port is taken.
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var path = context.Request.Url!.PathAndQuery;
            lock (_seen)
            {
                _seen.Add(path + " accept=" + context.Request.Headers["Accept"]);
            }

            var (status, type, body) = path switch
            {
                "/v2/app/manifests/1.0" => (200, "application/vnd.docker.distribution.manifest.v2+json",
                    """{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"size":1,"digest":"sha256:aa"},"layers":[]}"""),
                "/v2/_catalog?n=1000" => (200, "application/json", """{"repositories":["app","team/application","other"]}"""),
                _ => (404, "application/json", """{"errors":[{"code":"MANIFEST_UNKNOWN"}]}"""),
            };
            context.Response.StatusCode = status;
            context.Response.ContentType = type;
            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    [Fact]
    public async Task ManifestInspect_LoopbackRegistry_PrintsTabIndentedManifest()
    {
        var run = await CliRun.Async(null, ["manifest", "inspect", $"{Host}/app:1.0"]);

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Equal("{\n\t\"schemaVersion\": 2,\n\t\"mediaType\": \"application/vnd.docker.distribution.manifest.v2+json\",\n\t\"config\": {\n\t\t\"size\": 1,\n\t\t\"digest\": \"sha256:aa\"\n\t},\n\t\"layers\": []\n}\n", run.Out);
        Assert.Contains("application/vnd.oci.image.index.v1+json", _seen.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManifestInspect_Verbose_AddsRefAndDescriptor()
    {
        var run = await CliRun.Async(null, ["manifest", "inspect", "-v", $"{Host}/app:1.0"]);

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.StartsWith($"{{\n\t\"Ref\": \"{Host}/app:1.0\",\n\t\"Descriptor\": {{\n\t\t\"mediaType\": \"application/vnd.docker.distribution.manifest.v2+json\",\n\t\t\"digest\": \"sha256:", run.Out, StringComparison.Ordinal);
        Assert.Contains("\"SchemaV2Manifest\": {", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManifestInspect_Unknown_SaysNoSuchManifest()
    {
        var run = await CliRun.Async(null, ["manifest", "inspect", $"{Host}/ghost"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"no such manifest: {Host}/ghost:latest\n", run.Err);
    }

    [Fact]
    public async Task Search_Catalog_ListsMatchingRepositoriesInDockersTable()
    {
        var run = await CliRun.Async(null, ["search", $"{Host}/app"]);

        Assert.True(run.ExitCode == 0, run.Err);
        var lines = run.Out.TrimEnd('\n').Split('\n');
        Assert.Matches(@"^NAME\s+DESCRIPTION\s+STARS\s+OFFICIAL$", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"{Host}/app ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"{Host}/team/application ", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_FormatLimitAndOfficialFilter_Apply()
    {
        var limited = await CliRun.Async(null, ["search", "--limit", "1", "--format", "{{.Name}}", $"{Host}/app"]);
        var official = await CliRun.Async(null, ["search", "-f", "is-official=true", "--format", "{{.Name}}", $"{Host}/app"]);
        var hub = await CliRun.Async(null, ["search", "busybox"]);

        Assert.Equal($"{Host}/app\n", limited.Out);
        Assert.Equal("", official.Out);
        Assert.Equal(1, hub.ExitCode);
        Assert.Contains("HOST[:PORT]/busybox", hub.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:5000", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("registry.example.com", false)]
    public void IsLoopback_Hosts_Classified(string host, bool expected) => Assert.Equal(expected, RegistryHttpClient.IsLoopback(host));

    [Fact]
    public void ParseChallenge_BearerParameters_SplitsQuotedValues()
    {
        var parameters = RegistryHttpClient.ParseChallenge("realm=\"https://a/token\",service=\"reg\",scope=\"repository:x:pull,push\"");

        Assert.Equal("https://a/token", parameters["realm"]);
        Assert.Equal("reg", parameters["service"]);
        Assert.Equal("repository:x:pull,push", parameters["scope"]);
    }

    [Fact]
    public async Task ManifestInspectAndSearch_RegistryDown_NameTheRegistryNotTheDaemon()
    {
        int closedPort;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var manifest = await CliRun.Async(null, ["manifest", "inspect", $"127.0.0.1:{closedPort}/x"]);
        var search = await CliRun.Async(null, ["search", $"127.0.0.1:{closedPort}/x"]);

        Assert.Equal(1, manifest.ExitCode);
        Assert.StartsWith($"error contacting registry 127.0.0.1:{closedPort}: ", manifest.Err, StringComparison.Ordinal);
        Assert.Equal(1, search.ExitCode);
        Assert.StartsWith($"error contacting registry 127.0.0.1:{closedPort}: ", search.Err, StringComparison.Ordinal);
    }
}
