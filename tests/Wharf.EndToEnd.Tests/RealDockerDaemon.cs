using System.Diagnostics;
using System.Net.Sockets;

namespace Wharf.EndToEnd.Tests;

/// <summary>Debian's dockerd 20.10 on its own socket, data root and exec root (no bridge, no iptables; it starts its
/// own containerd), in a network namespace of its own: dockerd with its bridge disabled deletes an existing
/// <c>docker0</c>, and once did so to the host's. The namespace is unnamed (<c>unshare --net</c>, as
/// bench/lib/side-by-side.sh does), so it vanishes with dockerd and its containerd and there is nothing to leave
/// behind; unlike <c>ip netns exec</c>, it leaves /sys and so the cgroup tree runc needs as they are. Disposing
/// stops it, then unmounts and deletes everything it made, even after failures.</summary>
/// <param name="networkNamespace">Run in this existing network namespace (a /run/netns path) with dockerd's own
/// defaults — docker0 and its iptables chains — as a host with both engines has them; null: the private,
/// bridgeless namespace above.</param>
public sealed class RealDockerDaemon(string? networkNamespace = null) : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/dockerd";
    private Process? _process;

    // Short on purpose: containerd's shim sockets live under the exec root and unix paths must stay under 108 bytes.
    public string Root { get; } = Path.Combine("/tmp", "wdi-" + Guid.NewGuid().ToString("N")[..6]);
    public string Socket => Path.Combine(Root, "d.sock");
    public string LogFile => Path.Combine(Root, "dockerd.log");

    public IReadOnlyDictionary<string, string> Env => new Dictionary<string, string>
    {
        ["DOCKER_HOST"] = "unix://" + Socket,
        ["DOCKER_CONFIG"] = Path.Combine(Root, "docker-config"),
        ["DOCKER_CLI_HINTS"] = "false",
        ["DOCKER_BUILDKIT"] = "0",
    };

    public static bool Available => File.Exists(Binary);

    /// <summary>dockerd's pid (0 before the start).</summary>
    public int Pid => _process?.Id ?? 0;

    public async Task StartAsync()
    {
        Directory.CreateDirectory(Root);
        var args = $"--host 'unix://{Socket}' --data-root '{Root}/data' --exec-root '{Root}/e' --pidfile '{Root}/d.pid' --log-level=warn";
        // unshare and nsenter exec (no --fork), so the process started here is dockerd itself.
        var command = networkNamespace is null
            ? $"exec unshare --net sh -c 'ip link set lo up && exec \"$0\" \"$@\"' {Binary} {args} --bridge=none --iptables=false --ip-masq=false"
            : $"exec nsenter '--net={networkNamespace}' {Binary} {args}";
        _process = Process.Start(new ProcessStartInfo("bash", ["-c", $"{command} >>'{LogFile}' 2>&1 </dev/null"]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start dockerd");
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (!await PingAsync())
        {
            if (_process.HasExited) throw new InvalidOperationException($"dockerd exited with {_process.ExitCode}\n{Log()}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("dockerd did not answer /_ping\n" + Log());
            await Task.Delay(100);
        }
    }

    public Task<CommandResult> DockerAsync(params string[] args) =>
        CommandRunner.RunAsync(TestBinaries.Docker, args, Env, timeout: TimeSpan.FromSeconds(90));

    public string Log() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no dockerd log)";

    private async Task<bool> PingAsync()
    {
        if (!File.Exists(Socket)) return false;
        try
        {
            using var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            };
            using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(3) };
            using var response = await client.GetAsync("http://docker/_ping");
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM, as a service manager restarting dockerd sends: dockerd stops its containers and the
    /// containerd it started.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await _process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
        }
        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            KillContainerdLeftovers();
            TestCleanup.RemoveEverythingUnder(Root, Path.Combine(Root, "e"));
        }
    }

    /// <summary>A containerd (or shim) whose command line names this daemon's root outlives a killed dockerd:
    /// only those, by pid.</summary>
    private void KillContainerdLeftovers()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains("containerd", StringComparison.Ordinal) && cmdline.Contains(Root + "/", StringComparison.Ordinal))
                    Process.GetProcessById(pid).Kill();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // Gone meanwhile.
            }
        }
    }
}
