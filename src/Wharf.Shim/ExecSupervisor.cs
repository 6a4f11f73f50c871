using System.Net.Sockets;
using Wharf.Core.Shim;

namespace Wharf.Shim;

/// <summary>Every exec of this container: starts them (ShimOps.Exec) and answers wait/kill/resize addressed to
/// one by ExecId. Finished execs keep only their exit code, so a late wait still gets the answer.</summary>
internal sealed class ExecSupervisor
{
    private readonly ShimOptions _options;
    private readonly IChildProcesses _reaper;
    private readonly ContainerProcess _container;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ExecProcess> _execs = new(StringComparer.Ordinal);
    private readonly FastExec? _fast;

    public ExecSupervisor(ShimOptions options, IChildProcesses reaper, ContainerProcess container, TimeProvider time, FastExec? fast = null)
    {
        _fast = fast;
        _options = options;
        _reaper = reaper;
        _container = container;
        _time = time;
    }

    public async Task ServeAsync(Socket client, ShimRequest request, CancellationToken stop)
    {
        if (request.Op == ShimOps.Exec)
        {
            await StartAsync(client, request, stop).ConfigureAwait(false);
            return;
        }
        ExecProcess? exec;
        lock (_gate)
            _execs.TryGetValue(request.ExecId!, out exec);
        if (exec is null)
        {
            await ShimHost.SendAsync(client, Fail($"no such exec: {request.ExecId}")).ConfigureAwait(false);
            return;
        }
        var answer = request.Op switch
        {
            ShimOps.Wait => await WaitAsync(exec, stop).ConfigureAwait(false),
            ShimOps.Kill => exec.Kill(request.Signal),
            ShimOps.Resize => exec.Resize(request.Height, request.Width),
            ShimOps.State => exec.State(),
            _ => Fail($"unknown op \"{request.Op}\" for an exec"),
        };
        await ShimHost.SendAsync(client, answer).ConfigureAwait(false);
    }

    private static async Task<ShimResponse> WaitAsync(ExecProcess exec, CancellationToken stop)
    {
        var exitCode = await exec.Exited.WaitAsync(stop).ConfigureAwait(false);
        return new ShimResponse { Ok = true, Status = "exited", Pid = exec.Pid, ExitCode = exitCode };
    }

    private async Task StartAsync(Socket client, ShimRequest request, CancellationToken stop)
    {
        if (request.ExecId is not { Length: > 0 } id || request.Process is null)
        {
            await ShimHost.SendAsync(client, Fail("exec needs execId and process")).ConfigureAwait(false);
            return;
        }
        var state = _container.State();
        if (state.Status != "running")
        {
            await ShimHost.SendAsync(client, Fail("container is not running")).ConfigureAwait(false);
            return;
        }
        var exec = new ExecProcess(id, _options, _reaper, _time, _fast, state.Pid);
        lock (_gate)
        {
            if (_execs.ContainsKey(id))
                exec = null;
            else
                _execs[id] = exec;
        }
        if (exec is null)
        {
            await ShimHost.SendAsync(client, Fail($"exec {id} already exists")).ConfigureAwait(false);
            return;
        }
        await exec.RunAsync(client, request, stop).ConfigureAwait(false);
    }

    private static ShimResponse Fail(string error) => new() { Ok = false, Error = error };
}
