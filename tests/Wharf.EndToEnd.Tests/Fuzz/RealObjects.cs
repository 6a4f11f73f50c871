using System.Net;

namespace Wharf.EndToEnd.Tests.Fuzz;

/// <summary>Objects that exist, so fuzzed requests reach past "No such container" into the code behind: a created and
/// an exited container, a volume, a network, the busybox image. Recreated when a fuzzed request removed or renamed one.</summary>
public sealed class RealObjects(DaemonFixture daemon, HttpClient client)
{
    public const string Created = "fuzz-created";
    public const string Exited = "fuzz-exited";
    public const string Volume = "fuzz-volume";
    public const string Network = "fuzz-network";
    public const string Image = "busybox";

    public async Task EnsureAsync()
    {
        if (!await ExistsAsync($"containers/{Created}/json")) await RunAsync("create", "--name", Created, Image, "true");
        if (!await ExistsAsync($"containers/{Exited}/json")) await RunAsync("run", "--name", Exited, Image, "true");
        if (!await ExistsAsync($"volumes/{Volume}")) await RunAsync("volume", "create", Volume);
        if (!await ExistsAsync($"networks/{Network}")) await RunAsync("network", "create", Network);
    }

    /// <summary>Real values for a path parameter of <paramref name="path"/>; the image is never offered to DELETE, so the
    /// containers above can always be recreated.</summary>
    public IReadOnlyList<string> For(string method, string path) => path switch
    {
        _ when path.StartsWith("/containers/", StringComparison.Ordinal) => [Created, Exited],
        _ when path.StartsWith("/volumes/", StringComparison.Ordinal) => [Volume],
        _ when path.StartsWith("/networks/", StringComparison.Ordinal) => [Network, "bridge", "host", "none"],
        _ when path.StartsWith("/images/", StringComparison.Ordinal) && method != "DELETE" => [Image, Image + ":latest"],
        _ => [],
    };

    private async Task<bool> ExistsAsync(string path)
    {
        using var response = await client.GetAsync("v1.50/" + path);
        return response.StatusCode == HttpStatusCode.OK;
    }

    private async Task RunAsync(params string[] args)
    {
        var result = await daemon.DockerAsync(args);
        if (result.ExitCode != 0) throw new InvalidOperationException($"docker {string.Join(' ', args)}: {result}\n{daemon.DaemonLog()}");
    }
}
