using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Wharf.EndToEnd.Tests;

/// <summary>wharfd driven by Docker.DotNet, the .NET client most tools (Testcontainers among them) are built on. It
/// talks over its own HTTP stack and takes the hijacked stream only from a response with neither chunking nor a
/// Content-Length, so attach and exec start must answer a clean 101 (exec start also carries a JSON body).</summary>
[Collection(DaemonCollection.Name)]
public sealed class DockerDotNetTests(DaemonFixture daemon)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    private DockerClient Client() => new DockerClientConfiguration(new Uri(daemon.Host)).CreateClient();

    private static string Name(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task DockerDotNet_AttachWithoutTty_StdinCloseEndsContainerAndStreamsAreSeparated()
    {
        using var cts = new CancellationTokenSource(Budget);
        using var client = Client();
        var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = Name("ddn-attach"),
            Image = "busybox",
            Cmd = ["sh", "-c", "while read line; do echo out-$line; echo err-$line >&2; done; exit 5"],
            OpenStdin = true,
            StdinOnce = true,
            AttachStdin = true,
            AttachStdout = true,
            AttachStderr = true,
        }, cts.Token);
        try
        {
            using (var stream = await client.Containers.AttachContainerAsync(created.ID, tty: false,
                new ContainerAttachParameters { Stream = true, Stdin = true, Stdout = true, Stderr = true }, cts.Token))
            {
                await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cts.Token);
                var input = Encoding.ASCII.GetBytes("a\nb\n");
                await stream.WriteAsync(input, 0, input.Length, cts.Token);
                stream.CloseWrite(); // the half-close must reach the container as EOF on stdin
                var (stdout, stderr) = await stream.ReadOutputToEndAsync(cts.Token);
                Assert.Equal("out-a\nout-b\n", stdout);
                Assert.Equal("err-a\nerr-b\n", stderr);
            }

            var wait = await client.Containers.WaitContainerAsync(created.ID, cts.Token);
            Assert.Equal(5, wait.StatusCode);
            var inspect = await client.Containers.InspectContainerAsync(created.ID, cts.Token);
            Assert.Equal(5, inspect.State.ExitCode);
            Assert.False(inspect.State.Running);

            using var logs = await client.Containers.GetContainerLogsAsync(created.ID, tty: false,
                new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, cts.Token);
            var (logOut, logErr) = await logs.ReadOutputToEndAsync(cts.Token);
            Assert.Equal("out-a\nout-b\n", logOut);
            Assert.Equal("err-a\nerr-b\n", logErr);
        }
        finally
        {
            await client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }
        await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => client.Containers.InspectContainerAsync(created.ID, cts.Token));
    }

    [Fact]
    public async Task DockerDotNet_AttachWithTty_ShellRunsCommandsAndExitCodeIsWaited()
    {
        using var cts = new CancellationTokenSource(Budget);
        using var client = Client();
        var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = Name("ddn-tty"),
            Image = "busybox",
            Cmd = ["sh"],
            Tty = true,
            OpenStdin = true,
            AttachStdin = true,
            AttachStdout = true,
            AttachStderr = true,
        }, cts.Token);
        try
        {
            await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cts.Token);
            using (var stream = await client.Containers.AttachContainerAsync(created.ID, tty: true,
                new ContainerAttachParameters { Stream = true, Stdin = true, Stdout = true, Stderr = true }, cts.Token))
            {
                await client.Containers.ResizeContainerTtyAsync(created.ID, new ContainerResizeParameters { Height = 33, Width = 101 }, cts.Token);
                var input = Encoding.ASCII.GetBytes("echo tty-$((6*7)); stty size; exit 3\n");
                await stream.WriteAsync(input, 0, input.Length, cts.Token);
                var output = await ReadAllAsync(stream, cts.Token);
                // A terminal echoes the typed line, so the product (not the expression) proves the shell ran it.
                Assert.Contains("tty-42\r\n", output);
                Assert.Contains("33 101\r\n", output);
            }
            var wait = await client.Containers.WaitContainerAsync(created.ID, cts.Token);
            Assert.Equal(3, wait.StatusCode);
        }
        finally
        {
            await client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }
    }

    [Fact]
    public async Task DockerDotNet_ExecStartAndAttach_StreamsOutputAndInspectHasExitCode()
    {
        using var cts = new CancellationTokenSource(Budget);
        using var client = Client();
        var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = Name("ddn-exec"),
            Image = "busybox",
            Cmd = ["sleep", "300"],
        }, cts.Token);
        try
        {
            await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cts.Token);

            var exec = await client.Exec.ExecCreateContainerAsync(created.ID, new ContainerExecCreateParameters
            {
                Cmd = ["sh", "-c", "read x; echo got-$x-$GREETING; pwd >&2; exit 7"],
                Env = ["GREETING=hi"],
                WorkingDir = "/tmp",
                AttachStdin = true,
                AttachStdout = true,
                AttachStderr = true,
            }, cts.Token);
            using (var stream = await client.Exec.StartAndAttachContainerExecAsync(exec.ID, tty: false, cts.Token))
            {
                var input = Encoding.ASCII.GetBytes("abc\n");
                await stream.WriteAsync(input, 0, input.Length, cts.Token);
                stream.CloseWrite();
                var (stdout, stderr) = await stream.ReadOutputToEndAsync(cts.Token);
                Assert.Equal("got-abc-hi\n", stdout);
                Assert.Equal("/tmp\n", stderr);
            }
            var inspect = await client.Exec.InspectContainerExecAsync(exec.ID, cts.Token);
            Assert.False(inspect.Running);
            Assert.Equal(7, inspect.ExitCode);

            var ttyExec = await client.Exec.ExecCreateContainerAsync(created.ID, new ContainerExecCreateParameters
            {
                Cmd = ["sh", "-c", "[ -t 1 ] && echo is-a-tty; exit 0"],
                Tty = true,
                AttachStdout = true,
                AttachStderr = true,
            }, cts.Token);
            using (var stream = await client.Exec.StartAndAttachContainerExecAsync(ttyExec.ID, tty: true, cts.Token))
                Assert.Contains("is-a-tty\r\n", await ReadAllAsync(stream, cts.Token));
            Assert.Equal(0, (await client.Exec.InspectContainerExecAsync(ttyExec.ID, cts.Token)).ExitCode);

            // Detached: the daemon answers at once and the exit code still lands in inspect.
            var detached = await client.Exec.ExecCreateContainerAsync(created.ID, new ContainerExecCreateParameters { Cmd = ["sh", "-c", "exit 9"] }, cts.Token);
            await client.Exec.StartContainerExecAsync(detached.ID, cts.Token);
            ContainerExecInspectResponse state;
            do
            {
                await Task.Delay(50, cts.Token);
                state = await client.Exec.InspectContainerExecAsync(detached.ID, cts.Token);
            }
            while (state.Running || state.Pid == 0 && state.ExitCode == 0);
            Assert.Equal(9, state.ExitCode);
        }
        finally
        {
            await client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }
    }

    private static async Task<string> ReadAllAsync(MultiplexedStream stream, CancellationToken ct)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, ct);
            if (read.EOF) return text.ToString();
            text.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
        }
    }
}
