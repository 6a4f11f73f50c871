using Wharf.Core.Errors;
using Wharf.Core.Oci;
using Wharf.Engine.Containers.Spec;
using Wharf.Engine.Execs;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

/// <summary>Exec decisions without a shim: the process derived from the container's, and the refusals.</summary>
public sealed class ExecTests
{
    private static readonly SpecProcess ContainerProcess = new()
    {
        Args = ["sh"],
        Env = ["PATH=/bin", "HOSTNAME=abc", "A=container"],
        Cwd = "/srv",
        User = new SpecUser { Uid = 1000, Gid = 1000 },
        Capabilities = new SpecCapabilities { Bounding = ["CAP_CHOWN", "CAP_SYS_ADMIN"], Effective = ["CAP_CHOWN"], Permitted = ["CAP_CHOWN"] },
        Rlimits = [new SpecRlimit("RLIMIT_NOFILE", 1024, 1024)],
        NoNewPrivileges = true,
    };

    [Fact]
    public void Build_Defaults_InheritTheContainersProcess()
    {
        var process = ExecProcessBuilder.Build(ContainerProcess, new ExecCreateParams { Cmd = ["ls", "-l"] }, user: null);

        Assert.Equal(["ls", "-l"], process.Args);
        Assert.Equal(ContainerProcess.Env, process.Env);
        Assert.Equal("/srv", process.Cwd);
        Assert.Equal(1000u, process.User.Uid);
        Assert.Equal(["CAP_CHOWN"], process.Capabilities!.Effective);
        Assert.Equal(ContainerProcess.Rlimits, process.Rlimits);
        Assert.False(process.Terminal);
        Assert.Null(process.ConsoleSize);
        Assert.True(process.NoNewPrivileges);
    }

    [Fact]
    public void Build_Overrides_EnvCwdUserTtyAndPrivileged()
    {
        var exec = new ExecCreateParams
        {
            Cmd = ["sh"],
            Env = ["A=exec", "B=new"],
            WorkingDir = "/tmp",
            Tty = true,
            Privileged = true,
            ConsoleSize = (40, 120),
        };
        var process = ExecProcessBuilder.Build(ContainerProcess, exec, new ResolvedUser(65534, 65534, [10], "/home"));

        Assert.Contains("A=exec", process.Env);
        Assert.DoesNotContain("A=container", process.Env);
        Assert.Contains("B=new", process.Env);
        Assert.Contains("TERM=xterm", process.Env);
        Assert.Equal("/tmp", process.Cwd);
        Assert.Equal(65534u, process.User.Uid);
        Assert.Equal([10u], process.User.AdditionalGids);
        Assert.True(process.Terminal);
        Assert.Equal(new SpecBox(40, 120), process.ConsoleSize);
        // --privileged: everything in the container's bounding set, and no no_new_privs.
        Assert.Equal(["CAP_CHOWN", "CAP_SYS_ADMIN"], process.Capabilities!.Effective);
        Assert.Equal(["CAP_CHOWN", "CAP_SYS_ADMIN"], process.Capabilities.Permitted);
        Assert.False(process.NoNewPrivileges);
    }

    [Fact]
    public async Task CreateExec_StoppedContainer_IsConflictInDockersWords()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var record = h.Create();

        var e = Assert.Throws<EngineException>(() => h.Service.CreateExec(record.Id, new ExecCreateParams { Cmd = ["true"] }));

        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Equal($"container {record.Id} is not running", e.Message);
    }

    [Fact]
    public async Task CreateExec_PausedContainer_AsksToUnpause()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var record = h.Create();
        await h.ChangeAsync(record.Id, r => { r.State.Running = true; r.State.Paused = true; });

        var e = Assert.Throws<EngineException>(() => h.Service.CreateExec(record.Id, new ExecCreateParams { Cmd = ["true"] }));

        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Equal($"container {record.Id} is paused, unpause the container before exec", e.Message);
    }

    [Fact]
    public async Task CreateExec_RunningContainer_IsRecordedAndPublished()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var record = h.Create();
        await h.ChangeAsync(record.Id, r => r.State.Running = true);
        var exec = h.Service.CreateExec(record.Name, new ExecCreateParams { Cmd = ["echo", "hi"], AttachStdout = true });
        using var events = h.Events.Subscribe(0);

        Assert.Same(exec, h.Service.GetExec(exec.Id));
        Assert.Equal(record.Id, exec.ContainerId);
        Assert.False(exec.Running);
        Assert.Null(exec.ExitCode);
        var created = Assert.Single(events.Past, e => e.Action.StartsWith("exec_create", StringComparison.Ordinal));
        Assert.Equal("exec_create: echo hi", created.Action);
        Assert.Equal(exec.Id, created.Attributes["execID"]);
    }

    [Fact]
    public async Task CreateExec_NoCommand_IsInvalid()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var record = h.Create();
        await h.ChangeAsync(record.Id, r => r.State.Running = true);

        var e = Assert.Throws<EngineException>(() => h.Service.CreateExec(record.Id, new ExecCreateParams { Cmd = [] }));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("No exec command specified", e.Message);
    }

    [Fact]
    public async Task GetExec_Unknown_IsNotFound()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var e = Assert.Throws<EngineException>(() => h.Service.GetExec("nope"));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal("No such exec instance: nope", e.Message);
    }

    [Fact]
    public async Task Resize_ContainerWithoutTty_IsANoOp_AndStoppedIsConflict()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var record = h.Create();
        var stopped = await Assert.ThrowsAsync<EngineException>(() => h.Service.ResizeAsync(record.Id, 40, 80, CancellationToken.None));
        Assert.Equal(ErrorKind.Conflict, stopped.Kind);

        await h.ChangeAsync(record.Id, r => r.State.Running = true);
        await h.Service.ResizeAsync(record.Id, 40, 80, CancellationToken.None); // no TTY: nothing to do, no shim asked
    }

    [Fact]
    public async Task CollectAsync_KeepsOnlyTheLimit_AndReadsToTheEnd()
    {
        var framed = new MemoryStream();
        foreach (var (stream, text) in new[] { (1, "hello "), (2, "world"), (1, new string('x', 100)) })
        {
            var payload = System.Text.Encoding.UTF8.GetBytes(text);
            framed.Write([(byte)stream, 0, 0, 0, 0, 0, 0, (byte)payload.Length]);
            framed.Write(payload);
        }
        framed.Position = 0;
        var into = new MemoryStream();

        await ExecFrames.CollectAsync(framed, into, 16, CancellationToken.None);

        Assert.Equal("hello worldxxxxx", System.Text.Encoding.UTF8.GetString(into.ToArray()));
        Assert.Equal(framed.Length, framed.Position);
    }
}
