using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Shim;
using Wharf.Linux;

namespace Wharf.Shim;

/// <summary>The shim process: becomes subreaper, listens on the state dir's socket (first, so the daemon's
/// connect() succeeds as early as possible), serves protocol requests until the container is finished.</summary>
internal sealed class ShimHost
{
    private const int MaxRequestLine = 64 * 1024;
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RequestReadTimeout = TimeSpan.FromSeconds(5);

    private readonly ShimOptions _options;
    private readonly TimeProvider _time;
    private readonly ChildReaper _reaper = new();
    private readonly List<Task> _connections = [];
    private readonly Lock _connectionsGate = new();
    private ExecSupervisor? _execs;

    public ShimHost(ShimOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    public async Task<int> RunAsync()
    {
        try
        {
            ProcessControl.EnsureSessionLeader();
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"wharf-shim: {e.Message}");
        }
        ProcessControl.SetChildSubreaper();
        Directory.CreateDirectory(_options.StateDir);
        File.WriteAllText(ShimPaths.PidFile(_options.StateDir), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

        var socketPath = ShimPaths.Socket(_options.StateDir);
        using var listener = Listen(socketPath);
        _reaper.Start();

        using var hub = new OutputHub(_options.LogDriver == "local" ? new LocalLogWriter(_options.LogPath, _options.LogMaxSize, _options.LogMaxFiles, _options.LogCompress) : JsonFileLogWriter.For(_options), _time);
        using var container = new ContainerProcess(_options, _reaper, hub, _time);
        using var fastExec = new FastExec(_options, _reaper);
        _execs = new ExecSupervisor(_options, _reaper, container, _time, fastExec);
        using var stop = new CancellationTokenSource();
        var acceptLoop = AcceptLoopAsync(listener, container, hub, stop.Token);

        await container.Finished.ConfigureAwait(false);
        // Stop taking connections first, then let every connection already accepted finish: a request that
        // raced with the exit (wait, state, kill) still gets its answer, and attach streams drain.
        await stop.CancelAsync().ConfigureAwait(false);
        File.Delete(socketPath);
        listener.Dispose();
        await acceptLoop.ConfigureAwait(false);
        Task[] pending;
        lock (_connectionsGate)
            pending = [.. _connections];
        try
        {
            await Task.WhenAll(pending).WaitAsync(ShutdownGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // a client that never reads: we are leaving anyway
        }
        return 0;
    }

    private static Socket Listen(string socketPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(socketPath)!);
        File.Delete(socketPath); // a stale socket from a previous shim would make bind() fail
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        socket.Listen(64);
        return socket;
    }

    private async Task AcceptLoopAsync(Socket listener, ContainerProcess container, OutputHub hub, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var task = Task.Run(() => ServeAsync(client, container, hub, stop), CancellationToken.None);
            lock (_connectionsGate)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(task);
            }
        }
    }

    private async Task ServeAsync(Socket client, ContainerProcess container, OutputHub hub, CancellationToken stop)
    {
        using (client)
        {
            try
            {
                // Not `stop`: a request accepted just before shutdown is still read and answered.
                using var readTimeout = new CancellationTokenSource(RequestReadTimeout);
                var request = await ReadRequestAsync(client, readTimeout.Token).ConfigureAwait(false);
                if (request is null)
                    return;
                if (request.Op == ShimOps.Exec || request.ExecId is not null)
                {
                    await _execs!.ServeAsync(client, request, stop).ConfigureAwait(false);
                    return;
                }
                switch (request.Op)
                {
                    case ShimOps.Start:
                        await SendAsync(client, await container.StartAsync().ConfigureAwait(false)).ConfigureAwait(false);
                        break;
                    case ShimOps.Abandon:
                        await SendAsync(client, container.Abandon()).ConfigureAwait(false);
                        break;
                    case ShimOps.Wait:
                        var exit = await container.Exited.WaitAsync(stop).ConfigureAwait(false);
                        await SendAsync(client, new ShimResponse { Ok = true, Status = "exited", Pid = exit.Pid, ExitCode = exit.ExitCode, FinishedAt = exit.FinishedAt, OomKilled = exit.OomKilled }).ConfigureAwait(false);
                        break;
                    case ShimOps.Kill:
                        await SendAsync(client, await container.KillAsync(request.Signal, request.All).ConfigureAwait(false)).ConfigureAwait(false);
                        break;
                    case ShimOps.State:
                        await SendAsync(client, container.State()).ConfigureAwait(false);
                        break;
                    case ShimOps.Attach:
                        await AttachAsync(client, request, container, hub, stop).ConfigureAwait(false);
                        break;
                    case ShimOps.Resize:
                        await SendAsync(client, container.Resize(request.Height, request.Width)).ConfigureAwait(false);
                        break;
                    default:
                        await SendAsync(client, new ShimResponse { Ok = false, Error = $"unknown op \"{request.Op}\"" }).ConfigureAwait(false);
                        break;
                }
            }
            catch (Exception e) when (e is SocketException or IOException or JsonException or OperationCanceledException or ObjectDisposedException)
            {
                // the client went away, sent garbage, or we are shutting down
            }
        }
    }

    private static async Task AttachAsync(Socket client, ShimRequest request, ContainerProcess container, OutputHub hub, CancellationToken stop)
    {
        var attacher = new Attacher(client, request.Stdout, request.Stderr, framed: !container.IsTty);
        await SendAsync(client, new ShimResponse { Ok = true }).ConfigureAwait(false);
        if (!hub.TryAdd(attacher))
        {
            client.Shutdown(SocketShutdown.Send); // already exited: nothing more will come
            return;
        }
        var sending = attacher.SendLoopAsync();
        if (request.Stdin && container.HasStdin)
            _ = PumpStdinAsync(client, container, stop);
        await sending.ConfigureAwait(false);
    }

    private static async Task PumpStdinAsync(Socket client, ContainerProcess container, CancellationToken stop)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await client.ReceiveAsync(buffer, SocketFlags.None, stop).ConfigureAwait(false)) > 0)
                container.WriteStdin(buffer.AsSpan(0, n));
            container.StdinClientClosed();
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the client vanished without a clean EOF: that is not an EOF for the container
        }
    }

    /// <summary>Reads the one-line JSON request byte by byte, so nothing after the '\n' (attach stdin) is consumed.</summary>
    private static async Task<ShimRequest?> ReadRequestAsync(Socket client, CancellationToken stop)
    {
        var line = new List<byte>(256);
        var one = new byte[1];
        while (line.Count < MaxRequestLine)
        {
            var n = await client.ReceiveAsync(one, SocketFlags.None, stop).ConfigureAwait(false);
            if (n == 0)
                return null;
            if (one[0] == (byte)'\n')
                return JsonSerializer.Deserialize(line.ToArray(), CoreJsonContext.Default.ShimRequest);
            line.Add(one[0]);
        }
        return null;
    }

    internal static async Task SendAsync(Socket client, ShimResponse response)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(response, CoreJsonContext.Default.ShimResponse);
        var message = new byte[json.Length + 1];
        json.CopyTo(message, 0);
        message[^1] = (byte)'\n';
        await client.SendAsync(message, SocketFlags.None).ConfigureAwait(false);
    }
}
