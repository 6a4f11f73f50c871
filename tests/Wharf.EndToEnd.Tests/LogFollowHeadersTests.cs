namespace Wharf.EndToEnd.Tests;

/// <summary>`logs --follow` answers with its headers at once, as Docker does, before the container has written
/// anything: docker-py's `containers.run` opens the log stream and only then waits for the container, so headers held
/// back until the first line (or the exit) made it wait on an auto-removed container that was already gone.</summary>
[Collection(DaemonCollection.Name)]
public sealed class LogFollowHeadersTests(DaemonFixture daemon)
{
    [Fact]
    public async Task Follow_OfASilentContainer_AnswersWithHeadersAtOnce()
    {
        var name = "follow-" + Guid.NewGuid().ToString("N")[..8];
        var run = await daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sleep", "30");
        Assert.True(run.ExitCode == 0, run.ToString());
        try
        {
            using var http = daemon.CreateHttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/containers/{name}/logs?stdout=1&stderr=1&follow=1");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }
}
