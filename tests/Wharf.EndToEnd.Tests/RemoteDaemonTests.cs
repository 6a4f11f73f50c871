using System.Net;
using System.Net.Sockets;
using Wharf.TestKit;

namespace Wharf.EndToEnd.Tests;

/// <summary>Issue 7: wharfd on TCP with mutual TLS, contexts shared with the docker CLI, and one wharf command
/// over several daemons. Each test starts its own daemons and removes them.</summary>
public sealed class RemoteDaemonTests
{
    [Fact]
    public async Task MutualTls_AcceptsOnlyClientsWithACertificateFromItsCa()
    {
        var certs = Path.Combine("/tmp", "wharf-tls-" + Guid.NewGuid().ToString("N")[..8]);
        var port = LoopbackPorts.FreeTcp();
        var daemon = new DaemonFixture
        {
            ExtraDaemonArgs = $"-H tcp://127.0.0.1:{port} --tlsverify --tlscacert '{certs}/ca/ca.pem' --tlscert '{certs}/ca/server-cert.pem' --tlskey '{certs}/ca/server-key.pem'",
        };
        try
        {
            var noEnv = new Dictionary<string, string> { ["DOCKER_CONFIG"] = Path.Combine(certs, "config"), ["DOCKER_CLI_HINTS"] = "false" };
            var init = await CommandRunner.RunAsync(TestBinaries.Wharf, ["tls", "init", Path.Combine(certs, "ca"), "--key-size", "2048"], noEnv);
            Assert.True(init.ExitCode == 0, init.ToString());
            var other = await CommandRunner.RunAsync(TestBinaries.Wharf, ["tls", "init", Path.Combine(certs, "other"), "--key-size", "2048"], noEnv);
            Assert.True(other.ExitCode == 0, other.ToString());
            await daemon.InitializeAsync();

            var host = $"tcp://127.0.0.1:{port}";
            string[] good = ["--tlsverify", "--tlscacert", $"{certs}/ca/ca.pem", "--tlscert", $"{certs}/ca/cert.pem", "--tlskey", $"{certs}/ca/key.pem", "-H", host];
            string[] foreign = ["--tlsverify", "--tlscacert", $"{certs}/ca/ca.pem", "--tlscert", $"{certs}/other/cert.pem", "--tlskey", $"{certs}/other/key.pem", "-H", host];
            string[] noCert = ["--tlsverify", "--tlscacert", $"{certs}/ca/ca.pem", "-H", host];

            // The docker CLI with the client certificate: plain requests and a hijacked attach over TLS.
            var version = await CommandRunner.RunAsync(TestBinaries.Docker, [.. good, "version", "--format", "{{.Server.APIVersion}}"], noEnv);
            Assert.True(version.ExitCode == 0, version + daemon.DaemonLog());
            Assert.Equal("1.50", version.Stdout.Trim());
            var run = await CommandRunner.RunAsync(TestBinaries.Docker, [.. good, "run", "--rm", "busybox", "echo", "over tls"], noEnv);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("over tls\n", run.Stdout);

            // DOCKER_TLS_VERIFY/DOCKER_CERT_PATH, for docker and for wharf.
            var envTls = new Dictionary<string, string>(noEnv) { ["DOCKER_HOST"] = host, ["DOCKER_TLS_VERIFY"] = "1", ["DOCKER_CERT_PATH"] = Path.Combine(certs, "ca") };
            var dockerPs = await CommandRunner.RunAsync(TestBinaries.Docker, ["ps", "-a"], envTls);
            Assert.True(dockerPs.ExitCode == 0, dockerPs.ToString());
            var wharfRun = await CommandRunner.RunAsync(TestBinaries.Wharf, ["run", "--rm", "busybox", "echo", "wharf over tls"], envTls);
            Assert.True(wharfRun.ExitCode == 0, wharfRun.ToString());
            Assert.Equal("wharf over tls\n", wharfRun.Stdout);
            var wharfFlags = await CommandRunner.RunAsync(TestBinaries.Wharf, [.. good, "images", "--format", "{{.Repository}}"], noEnv);
            Assert.Contains("busybox", wharfFlags.Stdout, StringComparison.Ordinal);

            // Refused during the handshake: no certificate, or one from another CA; both CLIs.
            foreach (var args in new[] { noCert, foreign })
            {
                var refusedDocker = await CommandRunner.RunAsync(TestBinaries.Docker, [.. args, "ps"], noEnv);
                Assert.True(refusedDocker.ExitCode != 0, refusedDocker.ToString());
                var refusedWharf = await CommandRunner.RunAsync(TestBinaries.Wharf, [.. args, "ps"], noEnv);
                Assert.True(refusedWharf.ExitCode != 0, refusedWharf.ToString());
                Assert.DoesNotContain("CONTAINER ID", refusedWharf.Stdout, StringComparison.Ordinal);
            }

            // Plain HTTP to the TLS port gets nothing, the daemon logs it and keeps serving.
            using (var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
            {
                await Assert.ThrowsAnyAsync<Exception>(() => plain.GetStringAsync($"http://127.0.0.1:{port}/_ping"));
            }

            var after = await CommandRunner.RunAsync(TestBinaries.Docker, [.. good, "info", "--format", "{{.Containers}}"], noEnv);
            Assert.True(after.ExitCode == 0, after.ToString());
            await WaitForLogAsync(daemon, "TLS handshake with");
            Assert.Contains("client certificates required", daemon.DaemonLog(), StringComparison.Ordinal);
        }
        finally
        {
            await daemon.DisposeAsync();
            if (Directory.Exists(certs)) Directory.Delete(certs, recursive: true);
        }
    }

    [Fact]
    public async Task TwoDaemons_ContextsSharedWithDocker_AndMergedViews()
    {
        var a = new DaemonFixture();
        var b = new DaemonFixture();
        var config = Path.Combine("/tmp", "wharf-ctx-" + Guid.NewGuid().ToString("N")[..8]);
        var env = new Dictionary<string, string> { ["DOCKER_CONFIG"] = config, ["DOCKER_CLI_HINTS"] = "false" };
        try
        {
            await Task.WhenAll(a.InitializeAsync(), b.InitializeAsync());
            Assert.Equal(0, (await a.DockerAsync("create", "--name", "only-on-a", "busybox", "true")).ExitCode);
            Assert.Equal(0, (await b.DockerAsync("create", "--name", "only-on-b", "busybox", "true")).ExitCode);

            // wharf creates, docker sees (and the other way round): one store.
            var createA = await CommandRunner.RunAsync(TestBinaries.Wharf, ["context", "create", "ctx-a", "--description", "first", "--docker", $"host={a.Host}"], env);
            Assert.True(createA.ExitCode == 0, createA.ToString());
            var createB = await CommandRunner.RunAsync(TestBinaries.Docker, ["context", "create", "ctx-b", "--docker", $"host={b.Host}"], env);
            Assert.True(createB.ExitCode == 0, createB.ToString());
            var createDead = await CommandRunner.RunAsync(TestBinaries.Wharf, ["context", "create", "ctx-dead", "--docker", $"host=unix://{config}/nobody.sock"], env);
            Assert.True(createDead.ExitCode == 0, createDead.ToString());
            var dockerLs = await CommandRunner.RunAsync(TestBinaries.Docker, ["context", "ls", "--format", "{{.Name}}"], env);
            Assert.Contains("ctx-a", dockerLs.Stdout, StringComparison.Ordinal);
            var wharfLs = await CommandRunner.RunAsync(TestBinaries.Wharf, ["context", "ls"], env);
            Assert.Contains("ctx-b", wharfLs.Stdout, StringComparison.Ordinal);
            Assert.Contains("first", wharfLs.Stdout, StringComparison.Ordinal);

            // use: docker follows wharf's choice.
            Assert.Equal(0, (await CommandRunner.RunAsync(TestBinaries.Wharf, ["context", "use", "ctx-b"], env)).ExitCode);
            var dockerPs = await CommandRunner.RunAsync(TestBinaries.Docker, ["ps", "-a", "--format", "{{.Names}}"], env);
            Assert.Equal("only-on-b", dockerPs.Stdout.Trim());

            // One table over both daemons, a row per container, and the dead one reported in its own row.
            var merged = await CommandRunner.RunAsync(TestBinaries.Wharf, ["ps", "-a", "--context", "ctx-a", "--context", "ctx-b", "--context", "ctx-dead"], env);
            var lines = merged.Stdout.TrimEnd().Split('\n');
            Assert.StartsWith("CONTEXT", lines[0], StringComparison.Ordinal);
            Assert.Contains(lines, l => l.StartsWith("ctx-a", StringComparison.Ordinal) && l.Contains("only-on-a", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("ctx-b", StringComparison.Ordinal) && l.Contains("only-on-b", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("ctx-dead", StringComparison.Ordinal) && l.Contains("error: Cannot connect", StringComparison.Ordinal));
            Assert.Equal(1, merged.ExitCode);

            var images = await CommandRunner.RunAsync(TestBinaries.Wharf, ["images", "--all-contexts", "--format", "{{.Context}} {{.Repository}}"], env);
            Assert.Contains("ctx-a busybox", images.Stdout, StringComparison.Ordinal);
            Assert.Contains("ctx-b busybox", images.Stdout, StringComparison.Ordinal);
            Assert.Contains("ctx-dead: error:", images.Stdout, StringComparison.Ordinal);

            // Export/import round trip and removal of the current context.
            var exported = Path.Combine(config, "a.dockercontext");
            Assert.Equal(0, (await CommandRunner.RunAsync(TestBinaries.Wharf, ["context", "export", "ctx-a", exported], env)).ExitCode);
            var imported = await CommandRunner.RunAsync(TestBinaries.Docker, ["context", "import", "ctx-a2", exported], env);
            Assert.True(imported.ExitCode == 0, imported.ToString());
            var viaImported = await CommandRunner.RunAsync(TestBinaries.Wharf, ["--context", "ctx-a2", "ps", "-a", "--format", "{{.Names}}"], env);
            Assert.Equal("only-on-a", viaImported.Stdout.Trim());
            var inUse = await CommandRunner.RunAsync(TestBinaries.Wharf, ["context", "rm", "ctx-b"], env);
            Assert.Equal(1, inUse.ExitCode);
            Assert.Contains("is in use", inUse.Stderr, StringComparison.Ordinal);
            var dead = await CommandRunner.RunAsync(TestBinaries.Wharf, ["--context", "ctx-dead", "ps"], env);
            Assert.NotEqual(0, dead.ExitCode);
            Assert.Contains("nobody.sock", dead.Stderr, StringComparison.Ordinal);
            Assert.Contains("(context \"ctx-dead\")", dead.Stderr, StringComparison.Ordinal);
            var missing = await CommandRunner.RunAsync(TestBinaries.Wharf, ["--context", "nope", "ps"], env);
            Assert.Contains("context \"nope\" does not exist", missing.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await Task.WhenAll(a.DisposeAsync(), b.DisposeAsync());
            if (Directory.Exists(config)) Directory.Delete(config, recursive: true);
        }
    }

    private static async Task WaitForLogAsync(DaemonFixture daemon, string text)
    {
        for (var i = 0; i < 50 && !daemon.DaemonLog().Contains(text, StringComparison.Ordinal); i++) await Task.Delay(100);
        Assert.Contains(text, daemon.DaemonLog(), StringComparison.Ordinal);
    }
}
