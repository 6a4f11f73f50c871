using System.Net;
using System.Text;
using System.Text.Json;

namespace Wharf.EndToEnd.Tests;

/// <summary>Malformed or invalid requests get Docker's status and a clear {"message"}; none can take the daemon down.</summary>
[Collection(DaemonCollection.Name)]
public sealed class BadInputTests(DaemonFixture daemon)
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<(HttpStatusCode Status, string Message)> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var client = daemon.CreateHttpClient();
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Json(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var message = (int)response.StatusCode >= 400 && text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text).RootElement.GetProperty("message").GetString()! : text;
        return (response.StatusCode, message);
    }

    [Fact]
    public async Task Create_MalformedJson_Is400WithMessage()
    {
        var (status, message) = await SendAsync(HttpMethod.Post, "v1.50/containers/create", "{\"Image\": \"busybox\", ");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(string.IsNullOrWhiteSpace(message));
    }

    [Theory]
    [InlineData("{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"HostConfig\":{\"Memory\":\"abc\"}}", "")]
    [InlineData("{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"HostConfig\":{\"NanoCpus\":-1}}", "Range of CPUs")]
    [InlineData("{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"sometimes\"}}}", "invalid restart policy")]
    [InlineData("{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"HostConfig\":{\"Memory\":1024}}", "Minimum memory limit")]
    [InlineData("{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"HostConfig\":{\"CapAdd\":[\"NOT_A_CAP\"]}}", "capability")]
    public async Task Create_InvalidValue_Is400(string body, string wording)
    {
        var (status, message) = await SendAsync(HttpMethod.Post, "v1.50/containers/create", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(wording, message);
    }

    [Fact]
    public async Task UnknownObjects_Are404WithDockerWording()
    {
        var container = await SendAsync(HttpMethod.Get, "v1.50/containers/does-not-exist/json");
        Assert.Equal(HttpStatusCode.NotFound, container.Status);
        Assert.Equal("No such container: does-not-exist", container.Message);
        var image = await SendAsync(HttpMethod.Get, "v1.50/images/does-not-exist/json");
        Assert.Equal(HttpStatusCode.NotFound, image.Status);
        Assert.StartsWith("No such image: does-not-exist", image.Message);
        var create = await SendAsync(HttpMethod.Post, "v1.50/containers/create", "{\"Image\":\"nothere:1\",\"Cmd\":[\"true\"]}");
        Assert.Equal(HttpStatusCode.NotFound, create.Status);
        Assert.StartsWith("No such image: nothere:1", create.Message);
    }

    [Fact]
    public async Task DuplicateName_Is409WithDockerWording()
    {
        var name = "dup-" + Guid.NewGuid().ToString("N")[..6];
        var first = await SendAsync(HttpMethod.Post, $"v1.50/containers/create?name={name}", "{\"Image\":\"busybox\",\"Cmd\":[\"true\"]}");
        Assert.Equal(HttpStatusCode.Created, first.Status);
        var second = await SendAsync(HttpMethod.Post, $"v1.50/containers/create?name={name}", "{\"Image\":\"busybox\",\"Cmd\":[\"true\"]}");
        Assert.Equal(HttpStatusCode.Conflict, second.Status);
        Assert.Contains($"Conflict. The container name \"/{name}\" is already in use by container", second.Message);
        await daemon.DockerAsync("rm", name);
    }

    [Fact]
    public async Task StartRunning_Is304_AndUnknownSignal_Is400()
    {
        var name = "s304-" + Guid.NewGuid().ToString("N")[..6];
        await daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sleep", "300");
        var start = await SendAsync(HttpMethod.Post, $"v1.50/containers/{name}/start");
        Assert.Equal(HttpStatusCode.NotModified, start.Status);
        var kill = await SendAsync(HttpMethod.Post, $"v1.50/containers/{name}/kill?signal=NOPE");
        Assert.Equal(HttpStatusCode.BadRequest, kill.Status);
        Assert.Contains("Invalid signal: NOPE", kill.Message);
        await daemon.DockerAsync("rm", "-f", name);
    }

    [Fact]
    public async Task Versions_OutOfRange_Are400_AndBarePathsWork()
    {
        var old = await SendAsync(HttpMethod.Get, "v1.12/version");
        Assert.Equal(HttpStatusCode.BadRequest, old.Status);
        Assert.Contains("is too old", old.Message);
        var tooNew = await SendAsync(HttpMethod.Get, "v9.99/version");
        Assert.Equal(HttpStatusCode.BadRequest, tooNew.Status);
        using var client = daemon.CreateHttpClient();
        using var ping = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "_ping"));
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal("1.50", ping.Headers.GetValues("Api-Version").Single());
        Assert.Equal("linux", ping.Headers.GetValues("Ostype").Single());
        var bare = await client.GetStringAsync("containers/json");
        Assert.StartsWith("[", bare);
    }

    [Fact]
    public async Task GarbageRequests_DoNotHurtTheDaemon()
    {
        string[] bodies = ["", "null", "[]", "{\"Image\":5}", "{\"Cmd\":\"not-a-list\",\"Image\":\"busybox\"}", new string('{', 10000)];
        foreach (var body in bodies)
        {
            var (status, _) = await SendAsync(HttpMethod.Post, "v1.50/containers/create", body);
            Assert.True((int)status is >= 400 and < 500, $"{body[..Math.Min(body.Length, 20)]} -> {status}");
        }
        var ps = await daemon.DockerAsync("ps");
        Assert.Equal(0, ps.ExitCode);
    }
}
