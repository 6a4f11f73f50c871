using System.Text.Json;

namespace Wharf.EndToEnd.Tests;

/// <summary>Interoperability with standard registry software: wharfd against Debian's docker-registry (the
/// Distribution registry 2.8), and skopeo copying images in and out of wharf-registry.</summary>
[Collection(DaemonCollection.Name)]
public sealed class RegistryInteropTests(DaemonFixture daemon)
{
    private const string Skopeo = "/usr/bin/skopeo";

    [Fact]
    public async Task DistributionRegistry_WharfdPushesPullsAllTagsAndLogsIn()
    {
        Assert.True(File.Exists(RegistryServerProcess.DockerRegistryBinary), "docker-registry is not installed (scripts/install-deps.sh installs it)");
        await using var registry = await RegistryServerProcess.StartDistributionAsync();
        var repository = $"{registry.Address}/interop/bb";
        var hash = await CommandRunner.RunAsync("python3", ["-c", "import crypt; print(crypt.crypt('pw', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))"], daemon.Env);
        Assert.True(hash.ExitCode == 0, hash.ToString());
        await using var locked = await RegistryServerProcess.StartDistributionAsync(htpasswdLine: "erin:" + hash.Stdout.Trim());
        var lockedImage = $"{locked.Address}/private/bb:v1";
        try
        {
            foreach (var tag in new[] { "v1", "v2" })
            {
                Assert.True((await daemon.DockerAsync("tag", "busybox", $"{repository}:{tag}")).ExitCode == 0);
                var push = await daemon.DockerAsync("push", $"{repository}:{tag}");
                Assert.True(push.ExitCode == 0, push + "\n" + daemon.DaemonLog() + registry.Log());
                Assert.Matches($"{tag}: digest: sha256:[0-9a-f]{{64}} size: [0-9]+", push.Stdout);
            }
            Assert.True((await daemon.DockerAsync("rmi", $"{repository}:v1", $"{repository}:v2")).ExitCode == 0);

            var pullAll = await daemon.DockerAsync("pull", "-a", repository);
            Assert.True(pullAll.ExitCode == 0, pullAll + "\n" + daemon.DaemonLog() + registry.Log());
            Assert.Contains($"Status: Downloaded newer image for {repository}", pullAll.Stdout, StringComparison.Ordinal);
            foreach (var tag in new[] { "v1", "v2" })
            {
                var inspect = await daemon.DockerAsync("image", "inspect", "--format", "{{json .RepoDigests}}", $"{repository}:{tag}");
                Assert.True(inspect.ExitCode == 0, inspect.ToString());
                Assert.Contains($"{repository}@sha256:", inspect.Stdout, StringComparison.Ordinal);
            }
            // wharf's own CLI asks for all tags the same way.
            Assert.True((await daemon.DockerAsync("rmi", $"{repository}:v1", $"{repository}:v2")).ExitCode == 0);
            var wharfAll = await daemon.WharfAsync("pull", "-a", repository);
            Assert.True(wharfAll.ExitCode == 0, wharfAll + "\n" + daemon.DaemonLog());
            Assert.True((await daemon.DockerAsync("image", "inspect", $"{repository}:v1", $"{repository}:v2")).ExitCode == 0);
            var run = await daemon.DockerAsync("run", "--rm", $"{repository}:v2", "echo", "from-distribution");
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("from-distribution\n", run.Stdout);

            // The same registry with htpasswd auth: refused anonymously, fine once logged in.
            Assert.True((await daemon.DockerAsync("tag", "busybox", lockedImage)).ExitCode == 0);
            Assert.NotEqual(0, (await daemon.DockerAsync("push", lockedImage)).ExitCode);
            var login = await daemon.DockerWithInputAsync("pw", "login", locked.Address, "-u", "erin", "--password-stdin");
            Assert.True(login.ExitCode == 0, login + "\n" + daemon.DaemonLog() + locked.Log());
            var lockedPush = await daemon.DockerAsync("push", lockedImage);
            Assert.True(lockedPush.ExitCode == 0, lockedPush + "\n" + locked.Log());
            Assert.True((await daemon.DockerAsync("rmi", lockedImage)).ExitCode == 0);
            var lockedPull = await daemon.DockerAsync("pull", lockedImage);
            Assert.True(lockedPull.ExitCode == 0, lockedPull + "\n" + locked.Log());
        }
        finally
        {
            await daemon.DockerAsync("logout", locked.Address);
            await daemon.DockerAsync("rmi", "-f", $"{repository}:v1", $"{repository}:v2", lockedImage);
        }
    }

    [Fact]
    public async Task Skopeo_CopiesInAndOutOfWharfRegistry_InDockerAndOciForms()
    {
        Assert.True(File.Exists(Skopeo), "skopeo is not installed (scripts/install-deps.sh installs it)");
        await using var wharf = await RegistryServerProcess.StartWharfAsync();
        await using var distribution = await RegistryServerProcess.StartDistributionAsync();
        var layout = Path.Combine(wharf.Root, "oci-layout");
        var source = $"{wharf.Address}/src/bb:v1";
        var pulled = $"{wharf.Address}/skopeo/bb:v2s2";
        try
        {
            Assert.True((await daemon.DockerAsync("tag", "busybox", source)).ExitCode == 0);
            var push = await daemon.DockerAsync("push", source);
            Assert.True(push.ExitCode == 0, push + wharf.Log());

            // Out of wharf-registry into the Distribution registry and back, as Docker v2 schema 2.
            await SkopeoAsync(wharf, "copy", "--format", "v2s2", "--src-tls-verify=false", "--dest-tls-verify=false",
                $"docker://{source}", $"docker://{distribution.Address}/copied/bb:v1");
            await SkopeoAsync(wharf, "copy", "--format", "v2s2", "--src-tls-verify=false", "--dest-tls-verify=false",
                $"docker://{distribution.Address}/copied/bb:v1", $"docker://{pulled}");
            // Out into an OCI layout and back in as an OCI manifest.
            await SkopeoAsync(wharf, "copy", "--src-tls-verify=false", $"docker://{source}", $"oci:{layout}:v1");
            Assert.True(File.Exists(Path.Combine(layout, "index.json")));
            await SkopeoAsync(wharf, "copy", "--format", "oci", "--dest-tls-verify=false", $"oci:{layout}:v1", $"docker://{wharf.Address}/skopeo/bb:oci");

            var tags = await SkopeoAsync(wharf, "list-tags", "--tls-verify=false", $"docker://{wharf.Address}/skopeo/bb");
            using (var document = JsonDocument.Parse(tags))
            {
                Assert.Equal(["oci", "v2s2"], document.RootElement.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()).Order(StringComparer.Ordinal));
            }
            Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", MediaType(await SkopeoAsync(wharf, "inspect", "--raw", "--tls-verify=false", $"docker://{pulled}")));
            Assert.Equal("application/vnd.oci.image.manifest.v1+json", MediaType(await SkopeoAsync(wharf, "inspect", "--raw", "--tls-verify=false", $"docker://{wharf.Address}/skopeo/bb:oci")));
            using (var inspect = JsonDocument.Parse(await SkopeoAsync(wharf, "inspect", "--tls-verify=false", $"docker://{pulled}")))
            {
                Assert.StartsWith("sha256:", inspect.RootElement.GetProperty("Digest").GetString(), StringComparison.Ordinal);
                Assert.Equal("amd64", inspect.RootElement.GetProperty("Architecture").GetString());
            }

            // What skopeo pushed (through the Distribution registry) runs under wharfd.
            var pull = await daemon.DockerAsync("pull", pulled);
            Assert.True(pull.ExitCode == 0, pull + wharf.Log());
            var run = await daemon.DockerAsync("run", "--rm", pulled, "echo", "via-skopeo");
            Assert.Equal("via-skopeo\n", run.Stdout);

            await SkopeoAsync(wharf, "delete", "--tls-verify=false", $"docker://{wharf.Address}/skopeo/bb:oci");
            var gone = await CommandRunner.RunAsync(Skopeo, ["--insecure-policy", "inspect", "--raw", "--tls-verify=false", $"docker://{wharf.Address}/skopeo/bb:oci"], daemon.Env);
            Assert.NotEqual(0, gone.ExitCode);
        }
        finally
        {
            await daemon.DockerAsync("rmi", "-f", source, pulled);
        }
    }

    private async Task<string> SkopeoAsync(RegistryServerProcess registry, params string[] args)
    {
        var result = await CommandRunner.RunAsync(Skopeo, ["--insecure-policy", .. args], daemon.Env, timeout: TimeSpan.FromSeconds(120));
        Assert.True(result.ExitCode == 0, $"skopeo {string.Join(' ', args)}\n{result}{registry.Log()}");
        return result.Stdout;
    }

    private static string? MediaType(string manifest)
    {
        using var document = JsonDocument.Parse(manifest);
        return document.RootElement.GetProperty("mediaType").GetString();
    }
}
