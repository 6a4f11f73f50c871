namespace Wharf.EndToEnd.Tests;

/// <summary>docker push/pull/login through wharfd against a real wharf-registry process on 127.0.0.1.</summary>
[Collection(DaemonCollection.Name)]
public sealed class RegistryPushPullTests(DaemonFixture daemon)
{
    [Fact]
    public async Task PushRmiPullRun_ThroughWharfRegistry_RoundTripsAUniqueLayer()
    {
        await using var registry = await RegistryServerProcess.StartWharfAsync();
        var marker = "marker-" + Guid.NewGuid().ToString("N");
        var image = $"127.0.0.1:{registry.Port}/e2e/uniq:v1";
        try
        {
            // busybox plus a file only this test has: its layer exists nowhere else, so the pull must download it.
            var import = await CommandRunner.RunAsync("bash", ["-c",
                $"'{TestBinaries.BusyboxRootfsScript}' | python3 -c \"{AddFileScript(marker)}\" | '{TestBinaries.Docker}' import - {image}"], daemon.Env);
            Assert.True(import.ExitCode == 0, import.ToString());

            var push = await daemon.DockerAsync("push", image);
            Assert.True(push.ExitCode == 0, push + "\n" + daemon.DaemonLog() + registry.Log());
            Assert.Contains($"The push refers to repository [127.0.0.1:{registry.Port}/e2e/uniq]", push.Stdout, StringComparison.Ordinal);
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(push.Stdout, "v1: digest: sha256:[0-9a-f]{64} size: [0-9]+"), push.ToString());

            var again = await daemon.DockerAsync("push", image);
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Contains("Layer already exists", again.Stdout, StringComparison.Ordinal);

            var rmi = await daemon.DockerAsync("rmi", image);
            Assert.True(rmi.ExitCode == 0, rmi.ToString());

            var pull = await daemon.DockerAsync("pull", image);
            Assert.True(pull.ExitCode == 0, pull + "\n" + daemon.DaemonLog() + registry.Log());
            Assert.Contains("Pull complete", pull.Stdout, StringComparison.Ordinal);
            Assert.Matches("Digest: sha256:[0-9a-f]{64}", pull.Stdout);
            Assert.Contains($"Status: Downloaded newer image for {image}", pull.Stdout, StringComparison.Ordinal);

            var digests = await daemon.DockerAsync("image", "inspect", "--format", "{{json .RepoDigests}}", image);
            Assert.Matches($"\\[\"127\\.0\\.0\\.1:{registry.Port}/e2e/uniq@sha256:[0-9a-f]{{64}}\"\\]", digests.Stdout);

            var run = await daemon.DockerAsync("run", "--rm", image, "cat", "/marker");
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal(marker + "\n", run.Stdout);

            var upToDate = await daemon.DockerAsync("pull", image);
            Assert.Contains($"Status: Image is up to date for {image}", upToDate.Stdout, StringComparison.Ordinal);

            var missing = await daemon.DockerAsync("pull", $"127.0.0.1:{registry.Port}/e2e/nothing:here");
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("manifest unknown", missing.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await daemon.DockerAsync("rmi", "-f", image);
        }
    }

    [Fact]
    public async Task Login_WithHtpasswdRegistry_RefusesWrongPasswordAndPushesWithRightOne()
    {
        var hash = await CommandRunner.RunAsync("python3", ["-c", "import crypt; print(crypt.crypt('s3cret', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))"], daemon.Env);
        Assert.True(hash.ExitCode == 0, hash.ToString());
        await using var registry = await RegistryServerProcess.StartWharfAsync(htpasswdLine: "alice:" + hash.Stdout.Trim());
        var address = $"127.0.0.1:{registry.Port}";
        var image = $"{address}/private/bb:v1";
        try
        {
            Assert.True((await daemon.DockerAsync("tag", "busybox", image)).ExitCode == 0);
            var anonymous = await daemon.DockerAsync("push", image);
            Assert.NotEqual(0, anonymous.ExitCode);

            var wrong = await daemon.DockerWithInputAsync("nope", "login", address, "-u", "alice", "--password-stdin");
            Assert.NotEqual(0, wrong.ExitCode);
            Assert.Contains("401 Unauthorized", wrong.Stderr, StringComparison.Ordinal);

            var login = await daemon.DockerWithInputAsync("s3cret", "login", address, "-u", "alice", "--password-stdin");
            Assert.True(login.ExitCode == 0, login + "\n" + daemon.DaemonLog());
            Assert.Contains("Login Succeeded", login.Stdout, StringComparison.Ordinal);

            var push = await daemon.DockerAsync("push", image);
            Assert.True(push.ExitCode == 0, push + "\n" + registry.Log());
            var pull = await daemon.DockerAsync("pull", image);
            Assert.True(pull.ExitCode == 0, pull.ToString());

            var logout = await daemon.DockerAsync("logout", address);
            Assert.True(logout.ExitCode == 0, logout.ToString());
        }
        finally
        {
            await daemon.DockerAsync("rmi", image);
        }
    }

    [Fact]
    public async Task WharfCli_LoginPushPullLogout_AgainstHtpasswdRegistry()
    {
        var hash = await CommandRunner.RunAsync("python3", ["-c", "import crypt; print(crypt.crypt('pw', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))"], daemon.Env);
        await using var registry = await RegistryServerProcess.StartWharfAsync(htpasswdLine: "bob:" + hash.Stdout.Trim());
        var address = $"127.0.0.1:{registry.Port}";
        var image = $"{address}/cli/bb:v1";
        var config = Path.Combine(daemon.Env["DOCKER_CONFIG"], "config.json");
        try
        {
            Assert.True((await daemon.WharfAsync("tag", "busybox", image)).ExitCode == 0);
            var login = await daemon.WharfAsync("login", address, "-u", "bob", "-p", "pw");
            Assert.True(login.ExitCode == 0, login + "\n" + daemon.DaemonLog());
            Assert.Contains("Login Succeeded", login.Stdout, StringComparison.Ordinal);
            Assert.Contains($"\"{address}\"", await File.ReadAllTextAsync(config), StringComparison.Ordinal);

            var push = await daemon.WharfAsync("push", image);
            Assert.True(push.ExitCode == 0, push + "\n" + registry.Log());
            Assert.Matches("v1: digest: sha256:[0-9a-f]{64}", push.Stdout);

            Assert.True((await daemon.WharfAsync("rmi", image)).ExitCode == 0);
            var pull = await daemon.WharfAsync("pull", image);
            Assert.True(pull.ExitCode == 0, pull.ToString());
            Assert.Contains("Digest: sha256:", pull.Stdout, StringComparison.Ordinal);

            var logout = await daemon.WharfAsync("logout", address);
            Assert.Contains($"Removing login credentials for {address}", logout.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain($"\"{address}\"", await File.ReadAllTextAsync(config), StringComparison.Ordinal);
            var refused = await daemon.WharfAsync("push", image);
            Assert.NotEqual(0, refused.ExitCode);
        }
        finally
        {
            await daemon.WharfAsync("logout", address);
            await daemon.DockerAsync("rmi", image);
        }
    }

    private static string AddFileScript(string marker) =>
        "import sys, tarfile, io; src = tarfile.open(fileobj=sys.stdin.buffer, mode='r|*'); dst = tarfile.open(fileobj=sys.stdout.buffer, mode='w|'); " +
        "[dst.addfile(m, src.extractfile(m) if m.isfile() else None) for m in src]; data = b'" + marker + "\\n'; info = tarfile.TarInfo('marker'); info.size = len(data); info.mode = 0o644; " +
        "dst.addfile(info, io.BytesIO(data)); dst.close()";
}
