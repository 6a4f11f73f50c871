using System.Net.WebSockets;
using Wharf.Api.Streams;
using Wharf.Core.Errors;
using Wharf.Daemon.Http;
using Wharf.Engine.Containers;

namespace Wharf.Daemon.Endpoints;

/// <summary>GET /containers/{id}/attach/ws: attach over a websocket. As Docker's, the output is not multiplexed (stdout
/// and stderr bytes as they come, one binary message per chunk) and each received message is stdin.</summary>
internal static class WebSocketAttachEndpoints
{
    public static void MapWebSocketAttachEndpoints(this IEndpointRouteBuilder app) => app.MapGet("/containers/{id}/attach/ws", AttachAsync);

    private static async Task AttachAsync(string id, HttpContext context, ContainerService containers)
    {
        var request = context.Request;
        var record = containers.Get(id); // an unknown container is 404 before any upgrade
        if (!context.WebSockets.IsWebSocketRequest) throw EngineException.Invalid("not a websocket request: /attach/ws needs a websocket upgrade");
        var stdin = request.Bool("stdin");
        var stdout = request.Bool("stdout");
        var stderr = request.Bool("stderr");
        var ct = CancellationToken.None;
        var connection = await containers.BeginAttachAsync(record.Id, stdin, stdout, stderr, ct);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var sink = new WebSocketMessageStream(socket);
        if (request.Bool("logs"))
        {
            // Replayed unframed, as the live output below.
            await AttachLogs.ReplayAsync(containers, record, stdout, stderr, sink, framed: false, ct);
        }
        if (!request.Bool("stream"))
        {
            _ = connection.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            return;
        }
        await using var shim = await connection;
        var input = stdin && record.Config.OpenStdin ? PumpInputAsync(socket, shim) : Task.CompletedTask;
        try
        {
            if (record.Config.Tty) await shim.CopyToAsync(sink, ct);
            else await StdCopy.DemultiplexAsync(shim, sink, sink, ct);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
        }
        catch (Exception e) when (e is WebSocketException or IOException or InvalidDataException)
        {
            // the client went away, or the stream ended badly: the attach is over either way
        }
        _ = input.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
    }

    private static async Task PumpInputAsync(WebSocket socket, Stream shim)
    {
        var buffer = new byte[16 * 1024];
        while (socket.State == WebSocketState.Open)
        {
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (received.MessageType == WebSocketMessageType.Close) break;
            await shim.WriteAsync(buffer.AsMemory(0, received.Count));
            await shim.FlushAsync();
        }
    }
}
