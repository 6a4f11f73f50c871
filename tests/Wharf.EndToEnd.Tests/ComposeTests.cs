using System.Text.Json;

namespace Wharf.EndToEnd.Tests;

/// <summary>wharf compose (and docker compose through the CLI plugin) against a real daemon, with a small
/// busybox project. Only the local busybox:latest is used (pull_policy: never): nothing is pulled.</summary>
[Collection(DaemonCollection.Name)]
public sealed class ComposeTests(DaemonFixture daemon)
{
    private const string Project = """
        services:
          web:
            image: busybox:latest
            pull_policy: never
            command: ["sh", "-c", "echo web says $${GREETING}; sleep 300"]
            environment:
              GREETING: ${GREETING:-hello}
            depends_on: [db]
            networks: [default, back]
            volumes: [data:/data]
            stop_grace_period: 1s
          db:
            image: busybox:latest
            pull_policy: never
            command: ["sleep", "300"]
            networks:
              back:
                aliases: [database]
            stop_grace_period: 1s
        networks:
          back:
        volumes:
          data:
        """;

    private sealed class ProjectDir : IDisposable
    {
        public ProjectDir(string yaml)
        {
            Name = "wc" + Guid.NewGuid().ToString("N")[..8];
            Dir = Path.Combine(Path.GetTempPath(), Name);
            Directory.CreateDirectory(Dir);
            File.WriteAllText(File_, yaml);
        }

        public string Name { get; }

        public string Dir { get; }

        public string File_ => Path.Combine(Dir, "compose.yaml");

        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }

    private Task<CommandResult> ComposeAsync(ProjectDir project, params string[] args) =>
        daemon.WharfAsync(["compose", "-f", project.File_, "-p", project.Name, .. args]);

    private async Task CleanupAsync(ProjectDir project)
    {
        await ComposeAsync(project, "down", "-v", "-t", "0", "--remove-orphans");
        // If compose itself failed, remove whatever carries the project label.
        var left = await daemon.DockerAsync("ps", "-aq", "--filter", $"label=com.docker.compose.project={project.Name}");
        foreach (var id in left.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await daemon.DockerAsync("rm", "-f", id);
        }

        await daemon.DockerAsync("network", "rm", project.Name + "_default", project.Name + "_back");
        await daemon.DockerAsync("volume", "rm", project.Name + "_data");
    }

    [Fact]
    public async Task Compose_UpPsDown_CreatesComposeObjectsAndRemovesThem()
    {
        using var project = new ProjectDir(Project);
        try
        {
            var up = await ComposeAsync(project, "up", "-d");
            Assert.True(up.ExitCode == 0, up.ToString());

            var ps = await ComposeAsync(project, "ps");
            Assert.True(ps.ExitCode == 0, ps.ToString());
            Assert.StartsWith("NAME", ps.Stdout, StringComparison.Ordinal);
            Assert.Contains($"{project.Name}-web-1", ps.Stdout, StringComparison.Ordinal);
            Assert.Contains($"{project.Name}-db-1", ps.Stdout, StringComparison.Ordinal);

            // Same objects and labels as Compose v2.
            var inspect = await daemon.DockerAsync("inspect", $"{project.Name}-web-1");
            Assert.True(inspect.ExitCode == 0, inspect.ToString());
            using (var json = JsonDocument.Parse(inspect.Stdout))
            {
                var container = json.RootElement[0];
                var labels = container.GetProperty("Config").GetProperty("Labels");
                Assert.Equal(project.Name, labels.GetProperty("com.docker.compose.project").GetString());
                Assert.Equal("web", labels.GetProperty("com.docker.compose.service").GetString());
                Assert.Equal("1", labels.GetProperty("com.docker.compose.container-number").GetString());
                Assert.Equal("False", labels.GetProperty("com.docker.compose.oneoff").GetString());
                Assert.Equal(64, labels.GetProperty("com.docker.compose.config-hash").GetString()!.Length);
                Assert.True(container.GetProperty("State").GetProperty("Running").GetBoolean());
                var networks = container.GetProperty("NetworkSettings").GetProperty("Networks");
                Assert.True(networks.TryGetProperty(project.Name + "_default", out _), inspect.Stdout);
                Assert.True(networks.TryGetProperty(project.Name + "_back", out _), inspect.Stdout);
            }

            Assert.Equal(0, (await daemon.DockerAsync("volume", "inspect", project.Name + "_data")).ExitCode);

            // The service name and alias resolve on the shared network.
            var exec = await ComposeAsync(project, "exec", "web", "ping", "-c", "1", "-W", "2", "database");
            Assert.True(exec.ExitCode == 0, exec.ToString());

            var logs = await ComposeAsync(project, "logs", "web");
            Assert.Contains("web says hello", logs.Stdout, StringComparison.Ordinal);
            Assert.Contains("| ", logs.Stdout, StringComparison.Ordinal);

            // A second up changes nothing: same container ids.
            var before = (await daemon.DockerAsync("ps", "-q", "--no-trunc", "--filter", $"label=com.docker.compose.project={project.Name}")).Stdout;
            var again = await ComposeAsync(project, "up", "-d");
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.DoesNotContain("Recreate", again.Stderr, StringComparison.Ordinal);
            var after = (await daemon.DockerAsync("ps", "-q", "--no-trunc", "--filter", $"label=com.docker.compose.project={project.Name}")).Stdout;
            Assert.Equal(Sorted(before), Sorted(after));

            var down = await ComposeAsync(project, "down", "-v", "-t", "1");
            Assert.True(down.ExitCode == 0, down.ToString());
            var remaining = await daemon.DockerAsync("ps", "-aq", "--filter", $"label=com.docker.compose.project={project.Name}");
            Assert.Equal("", remaining.Stdout.Trim());
            Assert.NotEqual(0, (await daemon.DockerAsync("network", "inspect", project.Name + "_default")).ExitCode);
            Assert.NotEqual(0, (await daemon.DockerAsync("volume", "inspect", project.Name + "_data")).ExitCode);
        }
        finally
        {
            await CleanupAsync(project);
        }
    }

    [Fact]
    public async Task Compose_ChangedService_IsRecreatedAndOthersKept()
    {
        using var project = new ProjectDir(Project);
        try
        {
            Assert.Equal(0, (await ComposeAsync(project, "up", "-d")).ExitCode);
            var dbBefore = await IdOf($"{project.Name}-db-1");
            var webBefore = await IdOf($"{project.Name}-web-1");

            File.WriteAllText(project.File_, Project.Replace("${GREETING:-hello}", "changed", StringComparison.Ordinal));
            var up = await ComposeAsync(project, "up", "-d");
            Assert.True(up.ExitCode == 0, up.ToString());

            Assert.Equal(dbBefore, await IdOf($"{project.Name}-db-1"));
            Assert.NotEqual(webBefore, await IdOf($"{project.Name}-web-1"));
        }
        finally
        {
            await CleanupAsync(project);
        }
    }

    [Fact]
    public async Task Compose_LinksAndVolumesFrom_AliasResolvesAndVolumesAreShared()
    {
        // The alias "legacydb" exists only through the link (the endpoint links Compose v2 sends), not as a
        // network alias of db.
        using var project = new ProjectDir("""
            services:
              db:
                image: busybox:latest
                pull_policy: never
                command: ["sh", "-c", "echo shared > /data/mark; sleep 300"]
                volumes: [data:/data]
                stop_grace_period: 1s
              web:
                image: busybox:latest
                pull_policy: never
                command: ["sleep", "300"]
                links: ["db:legacydb"]
                volumes_from: ["db:ro"]
                stop_grace_period: 1s
            volumes:
              data:
            """);
        try
        {
            var up = await ComposeAsync(project, "up", "-d", "web");
            Assert.True(up.ExitCode == 0, up.ToString());
            // volumes_from brought db up first (implicit depends_on), and web sees its volume, read-only.
            var read = await ComposeAsync(project, "exec", "web", "sh", "-c", "for i in $(seq 1 50); do [ -s /data/mark ] && break; sleep 0.1; done; cat /data/mark");
            Assert.True(read.ExitCode == 0 && read.Stdout.Contains("shared", StringComparison.Ordinal), read.ToString());
            var write = await ComposeAsync(project, "exec", "web", "touch", "/data/other");
            Assert.NotEqual(0, write.ExitCode);

            var ping = await ComposeAsync(project, "exec", "web", "ping", "-c", "1", "-W", "2", "legacydb");
            Assert.True(ping.ExitCode == 0, ping.ToString());

            var inspect = await daemon.DockerAsync("inspect", $"{project.Name}-web-1");
            using var json = JsonDocument.Parse(inspect.Stdout);
            var host = json.RootElement[0].GetProperty("HostConfig");
            Assert.Single(host.GetProperty("VolumesFrom").EnumerateArray());
            Assert.EndsWith(":ro", host.GetProperty("VolumesFrom")[0].GetString(), StringComparison.Ordinal);

            // A second up keeps both (the resolved volumes_from hashes the same).
            var again = await ComposeAsync(project, "up", "-d", "web");
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.DoesNotContain("Recreate", again.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await CleanupAsync(project);
        }
    }

    [Fact]
    public async Task Compose_ExternalLinks_AliasOfAContainerOutsideTheProjectResolves()
    {
        // A container the project does not own, on a network the test made (external to the project): the alias
        // "extdb" exists only through external_links.
        using var project = new ProjectDir("");
        var network = project.Name + "_ext";
        var outside = project.Name + "-outside";
        File.WriteAllText(project.File_, $$"""
            services:
              web:
                image: busybox:latest
                pull_policy: never
                command: ["sleep", "300"]
                external_links: ["{{outside}}:extdb"]
                networks: [ext]
                stop_grace_period: 1s
            networks:
              ext:
                name: {{network}}
                external: true
            """);
        try
        {
            var created = await daemon.DockerAsync("network", "create", network);
            Assert.True(created.ExitCode == 0, created.ToString());
            var run = await daemon.DockerAsync("run", "-d", "--pull", "never", "--name", outside, "--network", network, "busybox:latest", "sleep", "300");
            Assert.True(run.ExitCode == 0, run.ToString());

            var up = await ComposeAsync(project, "up", "-d");
            Assert.True(up.ExitCode == 0, up.ToString());
            var ping = await ComposeAsync(project, "exec", "web", "ping", "-c", "1", "-W", "2", "extdb");
            Assert.True(ping.ExitCode == 0, ping.ToString());

            var inspect = await daemon.DockerAsync("inspect", $"{project.Name}-web-1");
            using var json = JsonDocument.Parse(inspect.Stdout);
            var links = json.RootElement[0].GetProperty("HostConfig").GetProperty("Links").EnumerateArray().Select(l => l.GetString()).ToList();
            Assert.Contains($"/{outside}:/{project.Name}-web-1/extdb", links);
        }
        finally
        {
            await CleanupAsync(project);
            await daemon.DockerAsync("rm", "-f", outside);
            await daemon.DockerAsync("network", "rm", network);
        }
    }

    [Fact]
    public async Task Compose_BadFile_FailsBeforeCreatingAnything()
    {
        using var project = new ProjectDir("services:\n  web:\n    image: busybox:latest\n    networks: [nowhere]\n");
        try
        {
            var up = await ComposeAsync(project, "up", "-d");
            Assert.Equal(1, up.ExitCode);
            Assert.Contains("compose.yaml:4: services.web.networks", up.Stderr, StringComparison.Ordinal);
            Assert.Contains("undefined network nowhere", up.Stderr, StringComparison.Ordinal);
            var any = await daemon.DockerAsync("ps", "-aq", "--filter", $"label=com.docker.compose.project={project.Name}");
            Assert.Equal("", any.Stdout.Trim());
        }
        finally
        {
            await CleanupAsync(project);
        }
    }

    [Fact]
    public async Task DockerCliPlugin_DockerCompose_RunsWharfCompose()
    {
        using var project = new ProjectDir(Project);
        var plugins = Path.Combine(daemon.Root, "docker-config", "cli-plugins");
        Directory.CreateDirectory(plugins);
        var link = Path.Combine(plugins, "docker-compose");
        if (!File.Exists(link))
        {
            File.CreateSymbolicLink(link, TestBinaries.Wharf);
        }

        try
        {
            var metadata = await CommandRunner.RunAsync(link, ["docker-cli-plugin-metadata"], daemon.Env);
            Assert.True(metadata.ExitCode == 0, metadata.ToString());
            using (var json = JsonDocument.Parse(metadata.Stdout))
            {
                Assert.Equal("0.1.0", json.RootElement.GetProperty("SchemaVersion").GetString());
                Assert.Equal("Wharf", json.RootElement.GetProperty("Vendor").GetString());
            }

            var up = await daemon.DockerAsync("compose", "-f", project.File_, "-p", project.Name, "up", "-d");
            Assert.True(up.ExitCode == 0, up.ToString());
            var ps = await daemon.DockerAsync("compose", "-f", project.File_, "-p", project.Name, "ps", "--services");
            Assert.True(ps.ExitCode == 0, ps.ToString());
            Assert.Equal(["db", "web"], ps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

            // Invoked directly under the plugin's name, it behaves like "wharf compose".
            var direct = await CommandRunner.RunAsync(link, ["-f", project.File_, "-p", project.Name, "down", "-v", "-t", "1"], daemon.Env);
            Assert.True(direct.ExitCode == 0, direct.ToString());
            Assert.Equal("", (await daemon.DockerAsync("ps", "-aq", "--filter", $"label=com.docker.compose.project={project.Name}")).Stdout.Trim());
        }
        finally
        {
            await CleanupAsync(project);
        }
    }

    [Fact]
    public async Task Config_SameFilesAsDockerCompose129_GiveTheSameModel()
    {
        const string reference = "/usr/bin/docker-compose";
        if (!File.Exists(reference))
        {
            // Debian's docker-compose 1.29 is a test dependency (scripts/install-deps.sh); without it there is nothing to compare.
            return;
        }

        using var project = new ProjectDir("""
            services:
              web:
                image: busybox:latest
                command: ["sh", "-c", "echo ${GREETING:-hi}"]
                environment:
                  - A=1
                  - B=two
                ports:
                  - "127.0.0.1:8080:80"
                volumes:
                  - data:/data:ro
                depends_on: [db]
                restart: unless-stopped
                user: "1000"
                working_dir: /tmp
                cap_add: [NET_ADMIN]
              db:
                image: busybox:latest
                command: sleep 300
                labels:
                  tier: db
            volumes:
              data:
            """);
        var ours = await ComposeAsync(project, "config", "--format", "json");
        Assert.True(ours.ExitCode == 0, ours.ToString());
        var theirsYaml = await CommandRunner.RunAsync(reference, ["-f", project.File_, "-p", project.Name, "config"], daemon.Env);
        Assert.True(theirsYaml.ExitCode == 0, theirsYaml.ToString());
        // Read their YAML with our own loader's view: convert it through "wharf compose config" of their output.
        var theirFile = Path.Combine(project.Dir, "theirs.yaml");
        File.WriteAllText(theirFile, theirsYaml.Stdout);
        var theirs = await daemon.WharfAsync("compose", "-f", theirFile, "-p", project.Name, "config", "--format", "json");
        Assert.True(theirs.ExitCode == 0, theirs.ToString() + "\n" + theirsYaml.Stdout);

        using var a = JsonDocument.Parse(ours.Stdout);
        using var b = JsonDocument.Parse(theirs.Stdout);
        foreach (var service in new[] { "web", "db" })
        {
            var x = a.RootElement.GetProperty("services").GetProperty(service);
            var y = b.RootElement.GetProperty("services").GetProperty(service);
            foreach (var key in new[] { "image", "command", "environment", "ports", "volumes", "restart", "user", "working_dir", "cap_add", "labels", "depends_on" })
            {
                var hasX = x.TryGetProperty(key, out var vx);
                var hasY = y.TryGetProperty(key, out var vy);
                Assert.True(hasX == hasY, $"{service}.{key}: ours {hasX}, 1.29 {hasY}\n{theirsYaml.Stdout}");
                if (hasX)
                {
                    Assert.True(vx.GetRawText() == vy.GetRawText(), $"{service}.{key}: ours {vx.GetRawText()} vs 1.29 {vy.GetRawText()}\n{theirsYaml.Stdout}");
                }
            }
        }

        Assert.Equal(
            a.RootElement.GetProperty("volumes").GetProperty("data").GetProperty("name").GetString(),
            b.RootElement.GetProperty("volumes").GetProperty("data").GetProperty("name").GetString());
    }

    private async Task<string> IdOf(string name) => (await daemon.DockerAsync("inspect", "-f", "{{.Id}}", name)).Stdout.Trim();

    private static string[] Sorted(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();
}
