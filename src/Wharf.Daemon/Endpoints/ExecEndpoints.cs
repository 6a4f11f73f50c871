using System.Text;
using System.Text.Json;
using Wharf.Api;
using Wharf.Api.Common;
using Wharf.Api.Containers;
using Wharf.Api.Streams;
using Wharf.Core.Errors;
using Wharf.Daemon.Http;
using Wharf.Engine.Containers;
using Wharf.Engine.Execs;

namespace Wharf.Daemon.Endpoints;

/// <summary>/containers/{id}/exec and /exec/*: create, start (hijacked or detached), resize, inspect.</summary>
internal static class ExecEndpoints
{
    private static readonly TimeSpan ExitRecordWait = TimeSpan.FromSeconds(5);

    public static void MapExecEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/containers/{id}/exec", CreateAsync);
        app.MapPost("/exec/{id}/start", StartAsync);
        app.MapPost("/exec/{id}/resize", ResizeAsync);
        app.MapGet("/exec/{id}/json", Inspect);
    }

    private static async Task<IResult> CreateAsync(string id, HttpRequest request, ContainerService containers)
    {
        if (request.ContentLength == 0) throw EngineException.Invalid("No exec command specified");
        var body = await RequestJson.ReadAsync(request.Body, ApiJsonContext.Default.ExecConfig, request.HttpContext.RequestAborted)
            ?? throw EngineException.Invalid("No exec command specified");
        if (!string.IsNullOrEmpty(body.DetachKeys)) DetachKeys.Parse(body.DetachKeys);
        var exec = containers.CreateExec(id, new ExecCreateParams
        {
            Cmd = body.Cmd ?? [],
            Env = body.Env ?? [],
            User = body.User ?? "",
            WorkingDir = body.WorkingDir ?? "",
            Tty = body.Tty,
            Privileged = body.Privileged,
            AttachStdin = body.AttachStdin,
            AttachStdout = body.AttachStdout,
            AttachStderr = body.AttachStderr,
            DetachKeys = body.DetachKeys ?? "",
            ConsoleSize = ConsoleSize(body.ConsoleSize),
        });
        return Results.Json(new IdResponse { Id = exec.Id }, ApiJsonContext.Default.IdResponse, statusCode: StatusCodes.Status201Created);
    }

    private static async Task StartAsync(string id, HttpContext context, ContainerService containers, DaemonDetachKeys daemonKeys)
    {
        var request = context.Request;
        ExecStartConfig start = new();
        if (request.ContentLength is null or > 0)
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(context.RequestAborted);
            if (text.Trim().Length > 0) start = RequestJson.Parse(text, ApiJsonContext.Default.ExecStartConfig) ?? new ExecStartConfig();
        }
        var exec = containers.GetExec(id);
        var size = ConsoleSize(start.ConsoleSize);
        if (start.Detach)
        {
            await containers.StartExecAsync(exec.Id, detach: true, size, context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        var keys = DetachKeys.Resolve(exec.Config.DetachKeys, daemonKeys.Keys);
        // The start request decides the framing (Docker: ExecStartCheck.Tty): a terminal's output read by a client that
        // asked for frames is sent as stdout frames.
        var tty = exec.Config.Tty && start.Tty;
        var raw = await RawUpgrade.TryAsync(context, tty);
        var client = raw ?? await Hijacker.HijackAsync(context, tty);
        if (exec.Config.Tty && !start.Tty) client = client with { Output = new StdoutFramingStream(client.Output) };
        // Not RequestAborted: a client half-close is not a disconnect (see HalfCloseTolerantConnection).
        var ct = CancellationToken.None;
        var input = exec.Config.AttachStdin ? StreamPump.BufferInput(client.Input, ct) : null;
        try
        {
            ExecSession session;
            try
            {
                session = await containers.StartExecAsync(exec.Id, detach: false, size, ct);
            }
            catch (EngineException e)
            {
                // As Docker: once hijacked, a start failure is written into the stream; the CLI then reads the
                // exit code (126/127) from exec inspect.
                var message = Encoding.UTF8.GetBytes(e.Message + "\r\n");
                if (tty || client.Output is StdoutFramingStream) await client.Output.WriteAsync(message, ct);
                else await StdCopy.WriteFrameAsync(client.Output, StdStreamType.Stdout, message, ct);
                return;
            }
            bool detached;
            await using (session.Stream!)
                detached = await InteractivePump.RunAsync(client, session.Stream!, input, keys, ct);
            // Close the client only once the exit code is recorded: the CLI reads it from exec inspect next.
            if (!detached) await session.Exited.WaitAsync(ExitRecordWait, CancellationToken.None).ContinueWith(static _ => { }, TaskScheduler.Default);
        }
        finally
        {
            try
            {
                await client.Output.FlushAsync(ct);
                if (raw is not null) context.Abort(); // Kestrel must not add a response after the stream
                else await client.Output.DisposeAsync();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
            {
                // the client is already gone
            }
        }
    }

    private static async Task<IResult> ResizeAsync(string id, HttpRequest request, ContainerService containers)
    {
        var (height, width) = ResizeQuery.Parse(request);
        await containers.ResizeExecAsync(id, height, width, request.HttpContext.RequestAborted);
        return Results.Ok();
    }

    private static IResult Inspect(string id, ContainerService containers)
    {
        var exec = containers.GetExec(id);
        var config = exec.Config;
        return Results.Json(new ExecInspect
        {
            ID = exec.Id,
            Running = exec.Running,
            ExitCode = exec.ExitCode,
            Pid = exec.Pid,
            ContainerID = exec.ContainerId,
            OpenStdin = config.AttachStdin,
            OpenStdout = config.AttachStdout,
            OpenStderr = config.AttachStderr,
            CanRemove = false,
            DetachKeys = config.DetachKeys,
            ProcessConfig = new ExecProcessConfig
            {
                Privileged = config.Privileged,
                User = config.User,
                Tty = config.Tty,
                Entrypoint = config.Cmd.Count > 0 ? config.Cmd[0] : "",
                Arguments = [.. config.Cmd.Skip(1)],
            },
        }, ApiJsonContext.Default.ExecInspect);
    }

    private static (int Height, int Width)? ConsoleSize(List<int>? size)
    {
        if (size is null || size.Count == 0) return null;
        if (size.Count != 2 || size[0] < 0 || size[1] < 0) throw EngineException.Invalid("ConsoleSize must be [height, width]");
        return (size[0], size[1]);
    }
}
