using System.Text.Json;
using Wharf.Api;
using Wharf.Api.Containers;
using Wharf.Api.Streams;
using Wharf.Core.Errors;
using Wharf.Engine.Containers;
using Wharf.Daemon.Http;
using Wharf.Daemon.Mapping;
using Wharf.Engine.Containers.Store;

namespace Wharf.Daemon.Endpoints;

/// <summary>/containers/*: thin — bind, call the ContainerService, map the answer.</summary>
internal static class ContainerEndpoints
{
    public static void MapContainerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/containers/create", CreateAsync);
        app.MapGet("/containers/json", List);
        app.MapPost("/containers/prune", PruneAsync);
        app.MapGet("/containers/{id}/json", Inspect);
        app.MapPost("/containers/{id}/start", StartAsync);
        app.MapPost("/containers/{id}/stop", StopAsync);
        app.MapPost("/containers/{id}/restart", RestartAsync);
        app.MapPost("/containers/{id}/kill", KillAsync);
        app.MapPost("/containers/{id}/wait", WaitAsync);
        app.MapPost("/containers/{id}/attach", AttachAsync);
        app.MapPost("/containers/{id}/rename", RenameAsync);
        app.MapPost("/containers/{id}/resize", Resize);
        app.MapGet("/containers/{id}/logs", LogsAsync);
        app.MapDelete("/containers/{id}", RemoveAsync);
        app.MapDelete("/containers/{parent}/{alias}", RemoveLinkAsync);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ContainerService containers)
    {
        if (request.ContentLength == 0) throw EngineException.Invalid("config cannot be empty in order to create a container");
        var body = await RequestJson.ReadAsync(request.Body, ApiJsonContext.Default.ContainerCreateRequest, request.HttpContext.RequestAborted)
            ?? throw EngineException.Invalid("config cannot be empty in order to create a container");
        var created = ContainerMapper.ToCreateParams(body, request.String("name"));
        var discarded = containers.DiscardUnsupportedResources(created.Host);
        var record = containers.Create(created);
        return Results.Json(new ContainerCreateResponse { Id = record.Id, Warnings = [.. Wharf.Engine.Containers.Security.SecurityOptions.Parse(record.Host.SecurityOpt).Warnings, .. containers.CapabilityWarnings(record.Host), .. ContainerService.NetworkModeWarnings(record.Host), .. Engine.Containers.Resources.PlatformResources.Warnings(body.HostConfig?.CpuPercent ?? 0), .. discarded] }, ApiJsonContext.Default.ContainerCreateResponse, statusCode: 201);
    }

    private static IResult List(HttpRequest request, ContainerService containers, ContainerQueries queries, TimeProvider time, ILoggerFactory loggers)
    {
        var all = request.Bool("all");
        var limit = request.Int("limit") ?? -1;
        if (request.Bool("latest")) limit = 1;
        var matches = queries.Matcher(request.String("filters"));
        IEnumerable<ContainerSnapshot> records = containers.List().Where(r => (all || limit > 0 || r.State.Running) && matches(r));
        if (limit > 0) records = records.Take(limit);
        var summaries = ContainerListing.Summaries(records, time.GetUtcNow(), containers.Networks, loggers.CreateLogger("Wharf.Daemon.ContainerListing"));
        return Results.Json(summaries, ApiJsonContext.Default.ListContainerSummary);
    }

    private static IResult Inspect(string id, ContainerService containers, HttpContext context)
    {
        var record = containers.Get(id);
        var inspect = ContainerMapper.ToInspect(record, containers.PathsOf(record));
        NetworkMapper.FillInspect(inspect.NetworkSettings, record, containers.Networks);
        if (context.Items[ApiVersionMiddleware.VersionItem] is Version v && v < new Version(1, 45))
            NetworkMapper.AddLegacyShortIdAliases(inspect.NetworkSettings, record.Id);
        return Results.Json(inspect, ApiJsonContext.Default.ContainerInspect);
    }

    private static async Task<IResult> StartAsync(string id, ContainerService containers, HttpContext context)
    {
        await containers.StartAsync(id, context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> StopAsync(string id, HttpRequest request, ContainerService containers)
    {
        await containers.StopAsync(id, request.Int("t"), request.String("signal"), request.HttpContext.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> RestartAsync(string id, HttpRequest request, ContainerService containers)
    {
        await containers.RestartAsync(id, request.Int("t"), request.String("signal"), request.HttpContext.RequestAborted);
        return Results.NoContent();
    }

    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);

    private static async Task<IResult> KillAsync(string id, HttpRequest request, ContainerService containers)
    {
        var signal = request.String("signal");
        await containers.KillAsync(id, signal, request.HttpContext.RequestAborted);
        // As Docker's: a SIGKILL (the default) returns once the container has stopped, so an inspect right after
        // the kill sees it exited (docker-py's tests do exactly that). Other signals return at once.
        if (signal is null or "" or "KILL" or "SIGKILL" or "9")
        {
            try
            {
                await containers.WaitAsync(id, WaitCondition.NotRunning, request.HttpContext.RequestAborted).WaitAsync(KillWait);
            }
            catch (TimeoutException)
            {
                // a process stuck in the kernel: answer anyway, as Docker does after its own wait
            }
        }
        return Results.NoContent();
    }

    private static async Task<IResult> RenameAsync(string id, HttpRequest request, ContainerService containers)
    {
        var name = request.String("name") ?? throw EngineException.Invalid("name cannot be empty");
        await containers.RenameAsync(id, name, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> Resize(string id, HttpRequest request, ContainerService containers)
    {
        var (height, width) = ResizeQuery.Parse(request);
        await containers.ResizeAsync(id, height, width, request.HttpContext.RequestAborted);
        return Results.Ok();
    }

    private static async Task<IResult> RemoveAsync(string id, HttpRequest request, ContainerService containers)
    {
        if (request.Bool("link")) throw EngineException.Invalid("Conflict, cannot remove the default link name of the container");
        await containers.RemoveAsync(id, request.Bool("force"), request.Bool("v"), request.HttpContext.RequestAborted);
        return Results.NoContent();
    }

    /// <summary>DELETE /containers/{parent}/{alias}?link=1: removes the legacy link, no container. Docker resolves the
    /// link's name to the linked container, so without link=1 that container would go: a client meaning that names it.</summary>
    private static async Task<IResult> RemoveLinkAsync(string parent, string alias, HttpRequest request, ContainerService containers)
    {
        if (!request.Bool("link")) throw EngineException.NoSuchContainer($"{parent}/{alias}");
        await containers.RemoveLinkAsync(parent, alias, request.HttpContext.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> PruneAsync(HttpRequest request, ContainerService containers, ContainerQueries queries)
    {
        var matches = queries.PruneMatcher(request.String("filters"));
        // Docker reports the writable layers it freed: measured before they go.
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var record in containers.List().Where(r => !r.State.Running && matches(r)))
        {
            try
            {
                sizes[record.Id] = containers.WritableLayerSize(record);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or EngineException)
            {
                // removed meanwhile, or unreadable: counts as nothing
            }
        }
        var removed = await containers.PruneAsync(matches, request.HttpContext.RequestAborted);
        var reclaimed = removed.Sum(id => sizes.GetValueOrDefault(id));
        return Results.Json(new ContainerPruneResponse { ContainersDeleted = [.. removed], SpaceReclaimed = reclaimed }, ApiJsonContext.Default.ContainerPruneResponse);
    }

    /// <summary>The CLI sends wait BEFORE start and blocks until our headers arrive, so they go out at once and
    /// the body follows when the condition is met.</summary>
    private static async Task WaitAsync(string id, HttpContext context, ContainerService containers)
    {
        var condition = WaitConditions.Parse(context.Request.String("condition"));
        var waiting = containers.WaitAsync(id, condition, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        var result = await waiting;
        var body = new ContainerWaitResponse
        {
            StatusCode = result.StatusCode,
            Error = result.Error is null ? null : new ContainerWaitExitError { Message = result.Error },
        };
        await JsonSerializer.SerializeAsync(context.Response.Body, body, ApiJsonContext.Default.ContainerWaitResponse, context.RequestAborted);
        await context.Response.Body.WriteAsync("\n"u8.ToArray(), context.RequestAborted);
    }

    private static async Task AttachAsync(string id, HttpContext context, ContainerService containers, DaemonDetachKeys daemonKeys)
    {
        var request = context.Request;
        var record = containers.Get(id);
        var stdin = request.Bool("stdin");
        var stdout = request.Bool("stdout");
        var stderr = request.Bool("stderr");
        if (!request.Bool("stream") && !request.Bool("logs"))
            throw EngineException.Invalid("either logs or stream must be set");
        var detachKeys = DetachKeys.Resolve(request.String("detachKeys"), daemonKeys.Keys);
        // Not RequestAborted: Kestrel signals it when the client half-closes, which the docker CLI does at once
        // when it has no stdin. The attach ends when the shim closes (container exited) or a write fails.
        var ct = CancellationToken.None;
        if (!request.Bool("stream"))
        {
            // ?logs=1 alone (docker-py attach(stream=False, logs=True)): what the container has logged, then the end.
            var rawLogs = await RawUpgrade.TryAsync(context, record.Config.Tty);
            var logsOnly = rawLogs ?? await Hijacker.HijackAsync(context, record.Config.Tty);
            // The logs are ready at once, but a client reading the 101 through a buffered reader (docker-py: http.client,
            // then the raw socket under it) drops whatever arrives in the same read as the headers. Docker's log reader
            // is slow enough to never hit that; give the client the moment it needs to take the headers alone.
            await Task.Delay(AttachLogs.HeaderGrace, ct);
            await AttachLogs.ReplayAsync(containers, record, stdout, stderr, logsOnly.Output, ct);
            await logsOnly.Output.FlushAsync(ct);
            if (rawLogs is not null) context.Abort();
            else await logsOnly.Output.DisposeAsync();
            return;
        }
        // Registered before the upgrade answer: the client starts the container as soon as it has that answer.
        var connection = await containers.BeginAttachAsync(record.Id, stdin, stdout, stderr, ct);
        HijackedConnection client;
        HijackedConnection? raw = null;
        try
        {
            raw = await RawUpgrade.TryAsync(context, record.Config.Tty);
            client = raw ?? await Hijacker.HijackAsync(context, record.Config.Tty);
        }
        catch
        {
            _ = connection.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }

        var input = stdin && record.Config.OpenStdin ? StreamPump.BufferInput(client.Input, ct) : null;
        if (request.Bool("logs")) await AttachLogs.ReplayAsync(containers, record, stdout, stderr, client.Output, ct);
        await using var shim = await connection;
        if (await InteractivePump.RunAsync(client, shim, input, detachKeys, ct)) containers.PublishDetach(record.Id);
        await client.Output.FlushAsync(ct);
        if (raw is not null) context.Abort(); // Kestrel must not add a response after the raw stream
        else await client.Output.DisposeAsync();
    }

    private static async Task LogsAsync(string id, HttpContext context, ContainerService containers)
    {
        var request = context.Request;
        var record = containers.Get(id);
        containers.EnsureLogsReadable(record.Id);
        var details = request.Bool("details");
        var stdout = request.Bool("stdout");
        var stderr = request.Bool("stderr");
        if (!stdout && !stderr) throw EngineException.Invalid("You must choose at least one stream");
        var tailText = request.String("tail");
        int? tail = tailText is null or "all" ? null
            : int.TryParse(tailText, out var n) && n >= 0 ? n : null;
        var query = new LogQuery(stdout, stderr, request.Bool("follow"), request.UnixTimeBound("since"), request.UnixTimeBound("until"), tail);
        var timestamps = request.Bool("timestamps");
        var tty = record.Config.Tty;

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream";
        await context.Response.StartAsync(context.RequestAborted);
        var body = context.Response.Body;
        // A follower gets the headers now, as from Docker, not with the first line: a client that opens the stream
        // and then waits for the container (docker-py's run) must not be held until the container speaks or ends.
        if (query.Follow) await body.FlushAsync(context.RequestAborted);
        await foreach (var line in containers.ReadLogsAsync(record.Id, query, context.RequestAborted))
        {
            var text = details ? LogDetails.Format(line.Attrs) + line.Log : line.Log;
            if (timestamps) text = ContainerMapper.FormatLogTime(line.Time) + " " + text;
            var payload = System.Text.Encoding.UTF8.GetBytes(text);
            if (tty) await body.WriteAsync(payload, context.RequestAborted);
            else await StdCopy.WriteFrameAsync(body, line.Stream == "stderr" ? StdStreamType.Stderr : StdStreamType.Stdout, payload, context.RequestAborted);
            if (query.Follow) await body.FlushAsync(context.RequestAborted);
        }
    }
}
