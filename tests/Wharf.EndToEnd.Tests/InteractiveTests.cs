using System.Net.Http.Json;
using System.Text.Json;
using static Wharf.EndToEnd.Tests.PtyDriver;

namespace Wharf.EndToEnd.Tests;

/// <summary>TTYs, exec, attach with detach keys and resize: the real docker CLI (in a real pty where it
/// matters), wharf, and docker-py against a real wharfd.</summary>
[Collection(DaemonCollection.Name)]
public sealed class InteractiveTests(DaemonFixture daemon)
{
    private static string Name(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task RunIt_DockerCli_ShellWithLineEditingCtrlCResizeAndExitCode()
    {
        var r = await PtyDriver.RunAsync(daemon.Env, [TestBinaries.Docker, "run", "-it", "--rm", "busybox", "sh"],
            Expect("# "),
            Send("stty size\r"), Expect("30 100"),
            Resize(33, 101), Sleep(0.5),
            Send("stty size\r"), Expect("33 101"),
            Send("echo abX\u007fc\r"), Expect("abc"),
            Send("sleep 100\r"), Sleep(0.5), Send("\x03"),
            Send("echo int-$((1+1))\r"), Expect("int-2"),
            Send("exit 3\r"));
        Assert.True(r.ExitCode == 3, r.ToString());
    }

    [Fact]
    public async Task RunT_WithoutStdin_OutputIsUnframedPtyText()
    {
        var r = await daemon.DockerAsync("run", "--rm", "-t", "busybox", "sh", "-c", "echo out; echo err >&2; exit 4");
        Assert.Equal(4, r.ExitCode);
        Assert.Equal("out\r\nerr\r\n", r.Stdout);
        var name = Name("tty-logs");
        Assert.Equal(0, (await daemon.DockerAsync("run", "-t", "--name", name, "busybox", "echo", "logged")).ExitCode);
        var logs = await daemon.DockerAsync("logs", name);
        Assert.Equal("logged\r\n", logs.Stdout);
        await daemon.DockerAsync("rm", "-f", name);
    }

    [Fact]
    public async Task DetachKeys_ThenAttach_ThenExecIt_DockerCli()
    {
        var name = Name("detach");
        try
        {
            var run = await PtyDriver.RunAsync(daemon.Env, [TestBinaries.Docker, "run", "-it", "--name", name, "busybox", "sh"],
                Expect("# "), Send("echo first-$((1+2))\r"), Expect("first-3"), Send("\x10\x11"));
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("true\n", (await daemon.DockerAsync("inspect", "-f", "{{.State.Running}}", name)).Stdout);

            var exec = await PtyDriver.RunAsync(daemon.Env, [TestBinaries.Docker, "exec", "-it", name, "sh"],
                Expect("# "), Send("tty; stty size\r"), Expect("/dev/pts/"), Expect("30 100"), Send("exit 6\r"));
            Assert.True(exec.ExitCode == 6, exec.ToString());

            var attach = await PtyDriver.RunAsync(daemon.Env, [TestBinaries.Docker, "attach", name],
                Sleep(0.5), Send("echo back-$((2+2))\r"), Expect("back-4"), Send("exit 4\r"));
            Assert.True(attach.ExitCode == 4, attach.ToString());
            Assert.Equal("false 4\n", (await daemon.DockerAsync("inspect", "-f", "{{.State.Running}} {{.State.ExitCode}}", name)).Stdout);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task Exec_DockerCli_OptionsStdinDetachExitCodesAndErrors()
    {
        var name = Name("exec");
        Assert.Equal(0, (await daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sleep", "300")).ExitCode);
        try
        {
            var r = await daemon.DockerAsync("exec", name, "sh", "-c", "echo out; echo err >&2; exit 5");
            Assert.Equal(5, r.ExitCode);
            Assert.Equal("out\n", r.Stdout);
            Assert.Equal("err\n", r.Stderr);

            r = await daemon.DockerAsync("exec", "-e", "A=1", "-w", "/tmp", "-u", "nobody", name, "sh", "-c", "echo $A $(pwd) $(id -u)");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal("1 /tmp 65534\n", r.Stdout);

            r = await daemon.DockerWithInputAsync("line one\nline two\n", "exec", "-i", name, "cat");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal("line one\nline two\n", r.Stdout);

            r = await daemon.DockerAsync("exec", "-t", name, "echo", "tty");
            Assert.Equal("tty\r\n", r.Stdout);

            // --privileged: every capability the HOST can grant (as Docker's), not only the container's set.
            var bounding = File.ReadLines("/proc/self/status").First(l => l.StartsWith("CapBnd:", StringComparison.Ordinal)).Split('\t')[1] + "\n";
            var privileged = await daemon.DockerAsync("exec", "--privileged", name, "sh", "-c", "grep CapEff /proc/self/status | cut -f2");
            Assert.True(privileged.ExitCode == 0, privileged.ToString());
            Assert.Equal(bounding, privileged.Stdout);

            r = await daemon.DockerAsync("exec", "-d", name, "sh", "-c", "sleep 0.2; touch /tmp/detached-done");
            Assert.True(r.ExitCode == 0, r.ToString());
            await WaitForAsync(async () => (await daemon.DockerAsync("exec", name, "test", "-f", "/tmp/detached-done")).ExitCode == 0);

            // Docker's exec inspect says 126 for every exec that cannot start (a missing binary included).
            r = await daemon.DockerAsync("exec", name, "/no/such/binary");
            Assert.Equal(126, r.ExitCode);
            Assert.Contains("no such file or directory", r.Stdout + r.Stderr);

            Assert.Equal(0, (await daemon.DockerAsync("kill", name)).ExitCode);
            await WaitForAsync(async () => (await daemon.DockerAsync("inspect", "-f", "{{.State.Running}}", name)).Stdout == "false\n");
            r = await daemon.DockerAsync("exec", name, "true");
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains("is not running", r.Stderr);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task ExecApi_InspectResizeAndEvents()
    {
        var name = Name("exec-api");
        Assert.Equal(0, (await daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sleep", "300")).ExitCode);
        try
        {
            using var http = daemon.CreateHttpClient();
            var created = await http.PostAsync($"/v1.50/containers/{name}/exec",
                new StringContent("""{"Cmd":["sh","-c","sleep 0.3; exit 7"],"AttachStdout":true,"User":"nobody"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(201, (int)created.StatusCode);
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Id").GetString()!;

            var start = await http.PostAsync($"/v1.50/exec/{id}/start", new StringContent("""{"Detach":true}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(200, (int)start.StatusCode);
            var running = await http.GetFromJsonAsync<JsonElement>($"/v1.50/exec/{id}/json");
            Assert.True(running.GetProperty("Running").GetBoolean());
            Assert.True(running.GetProperty("Pid").GetInt32() > 0);

            JsonElement inspect = default;
            await WaitForAsync(async () => !(inspect = await http.GetFromJsonAsync<JsonElement>($"/v1.50/exec/{id}/json")).GetProperty("Running").GetBoolean());
            Assert.Equal(7, inspect.GetProperty("ExitCode").GetInt32());
            Assert.Equal("sh", inspect.GetProperty("ProcessConfig").GetProperty("entrypoint").GetString());
            Assert.Equal("nobody", inspect.GetProperty("ProcessConfig").GetProperty("user").GetString());
            Assert.True(inspect.GetProperty("OpenStdout").GetBoolean());
            Assert.StartsWith(inspect.GetProperty("ContainerID").GetString()!, (await daemon.DockerAsync("inspect", "-f", "{{.Id}}", name)).Stdout);

            var again = await http.PostAsync($"/v1.50/exec/{id}/start", new StringContent("""{"Detach":true}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(409, (int)again.StatusCode);
            Assert.Equal(404, (int)(await http.GetAsync("/v1.50/exec/nope/json")).StatusCode);
            Assert.Equal(400, (int)(await http.PostAsync($"/v1.50/exec/{id}/resize?h=x&w=1", null)).StatusCode);
            // No TTY: resizing the container is a clean no-op, never a crash.
            Assert.Equal(200, (int)(await http.PostAsync($"/v1.50/containers/{name}/resize?h=10&w=10", null)).StatusCode);

            CommandResult events = null!;
            // exec_die is published right after Running turns false; poll briefly rather than race it.
            await WaitForAsync(async () => (events = await daemon.DockerAsync("events", "--since", "0", "--until", "0s", "--filter", "container=" + name, "--format", "{{.Action}}")).Stdout.Contains("exec_die", StringComparison.Ordinal));
            Assert.Contains("exec_create: sh -c sleep 0.3; exit 7", events.Stdout);
            Assert.Contains("exec_start: sh -c sleep 0.3; exit 7", events.Stdout);
            Assert.Contains("exec_die", events.Stdout);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task Wharf_RunItExecStartAiAndAttach()
    {
        var run = await PtyDriver.RunAsync(daemon.Env, [TestBinaries.Wharf, "run", "-it", "--rm", "busybox", "sh"],
            Expect("# "), Send("stty size\r"), Expect("30 100"),
            Resize(31, 90), Sleep(0.5), Send("stty size\r"), Expect("31 90"),
            Send("echo abX\u007fc\r"), Expect("abc"),
            Send("sleep 100\r"), Sleep(0.5), Send("\x03"), Send("echo int-$((1+1))\r"), Expect("int-2"),
            Send("exit 3\r"));
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Equal(0, (await daemon.DockerAsync("run", "--rm", "busybox", "true")).ExitCode); // terminal-independent sanity

        var name = Name("wharf-it");
        try
        {
            Assert.Equal(0, (await daemon.WharfAsync("create", "-it", "--name", name, "busybox", "sh")).ExitCode);
            var start = await PtyDriver.RunAsync(daemon.Env, [TestBinaries.Wharf, "start", "-ai", name],
                Expect("# "), Send("echo started-$((3+3))\r"), Expect("started-6"), Send("\x10\x11"));
            Assert.True(start.ExitCode == 0, start.ToString());
            Assert.Equal("true\n", (await daemon.DockerAsync("inspect", "-f", "{{.State.Running}}", name)).Stdout);

            var exec = await daemon.WharfAsync("exec", "-e", "B=2", "-w", "/etc", "-u", "nobody", name, "sh", "-c", "echo $B $(pwd) $(id -u); exit 9");
            Assert.True(exec.ExitCode == 9, exec.ToString());
            Assert.Equal("2 /etc 65534\n", exec.Stdout);
            var execIt = await PtyDriver.RunAsync(daemon.Env, [TestBinaries.Wharf, "exec", "-it", name, "sh"],
                Expect("# "), Send("tty\r"), Expect("/dev/pts/"), Send("exit 5\r"));
            Assert.True(execIt.ExitCode == 5, execIt.ToString());
            Assert.Equal(0, (await daemon.WharfAsync("exec", "-d", name, "touch", "/tmp/wharf-d")).ExitCode);
            await WaitForAsync(async () => (await daemon.WharfAsync("exec", name, "test", "-f", "/tmp/wharf-d")).ExitCode == 0);

            var attach = await PtyDriver.RunAsync(daemon.Env, [TestBinaries.Wharf, "attach", "--detach-keys", "ctrl-x", name],
                Sleep(0.5), Send("echo back-$((2+2))\r"), Expect("back-4"), Send("\x18"));
            Assert.True(attach.ExitCode == 0, attach.ToString());
            var last = await PtyDriver.RunAsync(daemon.Env, [TestBinaries.Wharf, "attach", name],
                Sleep(0.5), Send("exit 4\r"));
            Assert.True(last.ExitCode == 4, last.ToString());
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task DockerPy_TtyRunExecRunAndAttachSocket()
    {
        const string Script = """
            import docker, os, sys, time
            client = docker.DockerClient(base_url=os.environ["DOCKER_HOST"])
            c = client.containers.run("busybox", ["sh", "-c", "echo tty-out"], tty=True, detach=True)
            c.wait()
            assert c.logs() == b"tty-out\r\n", c.logs()
            c.remove()
            c = client.containers.run("busybox", ["sleep", "300"], detach=True)
            try:
                r = c.exec_run(["sh", "-c", "echo hi; exit 3"])
                assert r.exit_code == 3 and r.output == b"hi\n", r
                r = c.exec_run(["echo", "tty"], tty=True)
                assert r.exit_code == 0 and r.output == b"tty\r\n", r
                r = c.exec_run(["sh", "-c", "echo out; echo err >&2"], demux=True)
                assert r.output == (b"out\n", b"err\n"), r
            finally:
                c.remove(force=True)
            c = client.containers.run("busybox", ["cat"], stdin_open=True, tty=True, detach=True)
            try:
                s = client.api.attach_socket(c.id, params={"stdin": 1, "stdout": 1, "stream": 1})
                raw = s._sock
                raw.sendall(b"ping-from-py\n")
                got = b""
                deadline = time.time() + 10
                while got.count(b"ping-from-py") < 2 and time.time() < deadline:
                    got += raw.recv(4096)
                assert got.count(b"ping-from-py") >= 2, got
                raw.close()
            finally:
                c.remove(force=True)
            print("docker-py ok")
            """;
        var r = await CommandRunner.RunAsync("python3", ["-c", Script], daemon.Env, timeout: TimeSpan.FromSeconds(90));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("docker-py ok", r.Stdout);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in 10 s");
            await Task.Delay(100);
        }
    }
}
