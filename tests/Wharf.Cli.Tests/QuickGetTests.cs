using System.Net.Sockets;
using System.Text;
using Wharf.Api.Client;

namespace Wharf.Cli.Tests;

/// <summary>The blocking unix-socket GET that ps, images, version and inspect use instead of HttpClient: the request
/// it sends, the three ways an answer ends (Content-Length, chunked, close), daemon errors and connection failures
/// reported as HttpClient reports them, and stats still going through HttpClient.</summary>
public sealed class QuickGetTests
{
    private static Task SendRawAsync(Socket socket, string raw) => socket.SendAsync(Encoding.ASCII.GetBytes(raw), SocketFlags.None);

    [Fact]
    public async Task Version_SendsHttpClientsRequestLine_AndReadsAContentLengthAnswer()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 200, """{"Version":"9.9.9","ApiVersion":"1.50"}"""));
        using var client = new EngineClient(DockerEndpoint.Unix(daemon.SocketPath));

        var version = await client.System.VersionAsync();

        Assert.Equal("9.9.9", version.Version);
        var request = Assert.Single(daemon.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/v1.50/version", request.Target);
    }

    [Fact]
    public async Task ContainerList_ChunkedAnswerSplitAcrossWrites_IsDecodedWhole()
    {
        await using var daemon = new FakeDaemon(async (_, socket) =>
        {
            await SendRawAsync(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            await SendRawAsync(socket, "d\r\n[{\"Id\":\"abc\",\r\n");
            await Task.Delay(50); // the client must wait for the rest, not take the first read for the whole answer
            await SendRawAsync(socket, "11\r\n\"Names\":[\"/web\"]}\r\n1\r\n]\r\n0\r\n\r\n");
        });
        using var client = new EngineClient(DockerEndpoint.Unix(daemon.SocketPath));

        var list = await client.Containers.ListAsync(all: true);

        var container = Assert.Single(list);
        Assert.Equal("abc", container.Id);
        Assert.Equal(["/web"], container.Names);
        Assert.Equal("/v1.50/containers/json?all=1", Assert.Single(daemon.Requests).Target);
    }

    [Fact]
    public async Task Inspect_AnswerWithoutLength_EndsAtTheClose()
    {
        await using var daemon = new FakeDaemon(async (_, socket) =>
        {
            await SendRawAsync(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"Name\":\"v1\"}");
            socket.Shutdown(SocketShutdown.Both);
        });
        using var client = new EngineClient(DockerEndpoint.Unix(daemon.SocketPath));

        var raw = await client.Volumes.InspectRawAsync("v1");

        Assert.Equal("v1", raw.GetProperty("Name").GetString());
    }

    [Fact]
    public async Task MissingImage_IsTheDaemonsErrorWithTheWayOut()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 404, """{"message":"No such image: x:latest"}"""));

        var run = await CliRun.Async(daemon, ["history", "x:latest"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Error response from daemon: No such image: x:latest (image 'x:latest' not found locally; pull it with 'wharf pull x:latest' or build it with 'wharf build')", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DaemonClosingMidAnswer_IsAnHttpRequestException()
    {
        await using var daemon = new FakeDaemon(async (_, socket) =>
        {
            await SendRawAsync(socket, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n[{");
            socket.Shutdown(SocketShutdown.Both);
        });
        using var client = new EngineClient(DockerEndpoint.Unix(daemon.SocketPath));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.Images.ListAsync());

        Assert.Equal(HttpRequestError.ResponseEnded, error.HttpRequestError);
    }

    [Fact]
    public async Task NoSocket_IsHttpClientsConnectionError_SoVersionStillPrintsTheClientBlock()
    {
        var run = await CliRun.Async(null, ["version"]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("Client:\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("Cannot connect to the Wharf daemon at unix:///nonexistent/wharf.sock", run.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0\r\n\r\n", 5)]
    [InlineData("5\r\n0\r\n\r\n\r\n", null)] // "0\r\n\r\n" as a chunk's data is not the end
    [InlineData("3\r\nab0\r\n0\r\n\r\n", 13)]
    [InlineData("3;ext=1\r\nabc\r\n0\r\nTrailer: x\r\n\r\n", 31)]
    [InlineData("3\r\nabc\r\n", null)]
    public void ChunkedLength_CountsOnlyACompleteBody(string body, int? expected)
    {
        Assert.Equal(expected, UnixSocketGet.ChunkedLength(Encoding.ASCII.GetBytes(body)));
    }
}
