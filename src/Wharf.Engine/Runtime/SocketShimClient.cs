using System.Net.Sockets;
using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Host;
using Wharf.Core.Shim;

namespace Wharf.Engine.Runtime;

/// <summary>The real <see cref="IShimClient"/>: spawns wharf-shim processes and talks to them over their unix
/// sockets, one connection per request.</summary>
public sealed class SocketShimClient(IProcessSpawner spawner, EngineOptions options) : IShimClient
{
    private readonly ShimLauncher _launcher = new(spawner, options);

    public Task LaunchAsync(ShimOptions shim, CancellationToken ct) => _launcher.LaunchAsync(shim, ct);

    public bool IsAlive(string stateDir) => ShimConnection.IsAlive(ShimPaths.Socket(stateDir));

    public Task<ShimResponse> StartAsync(string stateDir, CancellationToken ct) =>
        Request(stateDir, new ShimRequest { Op = ShimOps.Start }, ct);

    public async Task AbandonAsync(string stateDir)
    {
        try
        {
            await Request(stateDir, new ShimRequest { Op = ShimOps.Abandon }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or JsonException)
        {
            // A shim that cannot be reached has gone already, which is what abandon asks for.
        }
    }

    public Task<ShimResponse> StateAsync(string stateDir, CancellationToken ct) =>
        Request(stateDir, new ShimRequest { Op = ShimOps.State }, ct);

    public IReadOnlyList<ShimProcess> ListShims(string containersDir)
    {
        var below = Path.TrimEndingDirectorySeparator(Path.GetFullPath(containersDir)) + Path.DirectorySeparatorChar;
        var shims = new List<ShimProcess>();
        foreach (var process in spawner.ListProcesses())
        {
            if (process.Args.Count == 0 || Path.GetFileName(process.Args[0]) != Path.GetFileName(options.ShimPath)) continue;
            var at = IndexOf(process.Args, "--state-dir");
            if (at < 0 || at + 1 >= process.Args.Count) continue;
            var stateDir = process.Args[at + 1];
            if (stateDir.StartsWith(below, StringComparison.Ordinal)) shims.Add(new ShimProcess(process.Pid, stateDir));
        }
        return shims;
    }

    public void KillShim(int pid) => spawner.Kill(pid);

    public Task<ShimResponse> KillAsync(string stateDir, int signal, string? execId, CancellationToken ct) =>
        Request(stateDir, new ShimRequest { Op = ShimOps.Kill, Signal = signal, ExecId = execId }, ct);

    public Task<ShimResponse> WaitAsync(string stateDir, string? execId, CancellationToken ct) =>
        Request(stateDir, new ShimRequest { Op = ShimOps.Wait, ExecId = execId }, ct);

    public Task<ShimResponse> ResizeAsync(string stateDir, string? execId, int height, int width, CancellationToken ct) =>
        Request(stateDir, new ShimRequest { Op = ShimOps.Resize, ExecId = execId, Height = height, Width = width }, ct);

    public async Task<ShimSession> OpenAsync(string stateDir, ShimRequest request, CancellationToken ct)
    {
        var stream = await ShimConnection.OpenAsync(ShimPaths.Socket(stateDir), request, ct).ConfigureAwait(false);
        ShimResponse answer;
        try
        {
            answer = await ShimConnection.ReadResponseAsync(stream, ct).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        if (answer.Ok) return new ShimSession(answer, stream);
        await stream.DisposeAsync().ConfigureAwait(false);
        return new ShimSession(answer, null);
    }

    public ShimExitRecord? ReadExitFile(string stateDir)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(ShimPaths.ExitFile(stateDir)), CoreJsonContext.Default.ShimExitRecord);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null; // no exit file (the shim died before writing it, the host rebooted) or a torn one
        }
    }

    private static int IndexOf(IReadOnlyList<string> args, string flag)
    {
        for (var i = 0; i < args.Count; i++)
            if (args[i] == flag) return i;
        return -1;
    }

    private static Task<ShimResponse> Request(string stateDir, ShimRequest request, CancellationToken ct) =>
        ShimConnection.RequestAsync(ShimPaths.Socket(stateDir), request, ct);
}
