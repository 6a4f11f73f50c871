using System.Text.Json;
using Wharf.Api.Streams;
using Wharf.Api;
using Wharf.Api.Containers;
using Wharf.Api.Resources;
using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Daemon.Http;
using Wharf.Daemon.Mapping;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Resources;
using Wharf.Engine.Containers.Store;

namespace Wharf.Daemon.Endpoints;

/// <summary>pause, unpause, update, stats and top: thin — bind, call the ContainerService, map the answer.</summary>
internal static class ResourceEndpoints
{
    /// <summary>Docker samples once a second; the docker CLI's CPU % is the delta between two samples.</summary>
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);

    public static void MapResourceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/containers/{id}/pause", PauseAsync);
        app.MapPost("/containers/{id}/unpause", UnpauseAsync);
        app.MapPost("/containers/{id}/update", UpdateAsync);
        app.MapGet("/containers/{id}/stats", StatsAsync);
        app.MapGet("/containers/{id}/top", TopAsync);
    }

    private static async Task<IResult> PauseAsync(string id, ContainerService containers, HttpContext context)
    {
        await containers.PauseAsync(id, context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> UnpauseAsync(string id, ContainerService containers, HttpContext context)
    {
        await containers.UnpauseAsync(id, context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> UpdateAsync(string id, HttpRequest request, ContainerService containers)
    {
        var body = request.ContentLength == 0 ? new ContainerUpdateRequest()
            : await RequestJson.ReadAsync(request.Body, ResourcesJsonContext.Default.ContainerUpdateRequest, request.HttpContext.RequestAborted)
              ?? new ContainerUpdateRequest();
        var update = new ContainerUpdate
        {
            Memory = body.Memory,
            MemorySwap = body.MemorySwap,
            MemoryReservation = body.MemoryReservation,
            NanoCpus = body.NanoCpus,
            CpuShares = body.CpuShares,
            CpuQuota = body.CpuQuota,
            CpuPeriod = body.CpuPeriod,
            CpusetCpus = body.CpusetCpus,
            CpusetMems = body.CpusetMems,
            PidsLimit = body.PidsLimit,
            BlkioWeight = body.BlkioWeight,
            CpuRealtimePeriod = body.CpuRealtimePeriod,
            CpuRealtimeRuntime = body.CpuRealtimeRuntime,
            RestartPolicy = body.RestartPolicy?.Name,
            RestartMaxRetries = body.RestartPolicy?.MaximumRetryCount ?? 0,
        };
        var warnings = await containers.UpdateAsync(id, update, request.HttpContext.RequestAborted);
        return Results.Json(new ContainerUpdateResponse { Warnings = [.. warnings] }, ResourcesJsonContext.Default.ContainerUpdateResponse);
    }

    private static async Task<IResult> TopAsync(string id, HttpRequest request, ContainerService containers)
    {
        var table = await containers.TopAsync(id, request.String("ps_args"), request.HttpContext.RequestAborted);
        var response = new ContainerTopResponse { Titles = [.. table.Titles], Processes = table.Processes.Select(p => p.ToList()).ToList() };
        return Results.Json(response, ApiJsonContext.Default.ContainerTopResponse);
    }

    /// <summary>stream=true (the default): one JSON document per second until the client goes away.
    /// stream=false: one document, sampled twice a second apart so precpu_stats is filled (one-shot=true skips
    /// the wait and leaves precpu empty), as Docker does.</summary>
    private static async Task StatsAsync(string id, HttpContext context, ContainerService containers, TimeProvider time)
    {
        var request = context.Request;
        var stream = request.Bool("stream", fallback: true);
        var oneShot = request.Bool("one-shot");
        if (oneShot && stream) throw EngineException.Invalid("cannot have stream=true and one-shot=true");
        var ct = context.RequestAborted;
        var record = containers.Get(id);

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        CgroupSample? previous = null;
        DateTimeOffset? previousAt = null;
        if (!stream)
        {
            if (!oneShot && record.State.Running)
            {
                (previous, previousAt) = (Sample(containers, record), time.GetUtcNow());
                await Task.Delay(SampleInterval, time, ct);
            }
            var at = time.GetUtcNow();
            await WriteAsync(context, StatsMapper.ToStats(record, Sample(containers, record), at, previous, previousAt), ct);
            return;
        }

        await context.Response.StartAsync(ct);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (!containers.TryGet(record.Id, out record)) break;
                var sample = Sample(containers, record);
                var at = time.GetUtcNow();
                await WriteAsync(context, StatsMapper.ToStats(record, sample, at, previous, previousAt), ct);
                await context.Response.Body.FlushAsync(ct);
                (previous, previousAt) = (sample, at);
                await Task.Delay(SampleInterval, time, ct);
            }
        }
        catch (OperationCanceledException)
        {
            // the client stopped reading: the normal end of a stream
        }
        catch (IOException)
        {
            // the client went away mid-write
        }
    }

    /// <summary>A container that stops between look-up and sampling reads as not running (zeroed figures).</summary>
    private static CgroupSample? Sample(ContainerService containers, ContainerSnapshot record)
    {
        try
        {
            return containers.SampleStats(record);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task WriteAsync(HttpContext context, ContainerStatsResponse stats, CancellationToken ct)
    {
        await JsonLines.WriteAsync(context.Response.Body, stats, ResourcesJsonContext.Default.ContainerStatsResponse, ct);
    }
}
