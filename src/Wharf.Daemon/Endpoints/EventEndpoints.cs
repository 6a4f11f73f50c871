using System.Text.Json;
using Wharf.Api.Streams;
using Wharf.Api;
using Wharf.Api.Events;
using Wharf.Daemon.Http;
using Wharf.Engine.Events;

namespace Wharf.Daemon.Endpoints;

/// <summary>GET /events: past events from `since`, then live ones until `until` or the client leaves; one JSON
/// object per line, flushed per event.</summary>
internal static class EventEndpoints
{
    public static void MapEventEndpoints(this IEndpointRouteBuilder app) => app.MapGet("/events", StreamAsync);

    private static async Task StreamAsync(HttpContext context, EventBus bus, ContainerQueries queries, TimeProvider time)
    {
        var request = context.Request;
        var since = request.UnixTime("since");
        var until = request.UnixTime("until");
        var matches = queries.EventMatcher(request.String("filters"));
        var legacyFields = context.Items[ApiVersionMiddleware.VersionItem] is Version v && v < new Version(1, 52);

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);

        using var subscription = bus.Subscribe(since is { } s ? s.ToUnixTimeMilliseconds() * 1_000_000 : null);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (until is { } u)
        {
            var remaining = u - time.GetUtcNow();
            stop.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        }
        var untilNano = until is { } un ? un.ToUnixTimeMilliseconds() * 1_000_000 + 999_999 : long.MaxValue;

        foreach (var e in subscription.Past)
        {
            if (e.TimeNano > untilNano) return;
            if (matches(e)) await WriteAsync(context, e, legacyFields);
        }
        try
        {
            await foreach (var e in subscription.Live.ReadAllAsync(stop.Token))
            {
                if (e.TimeNano > untilNano) return;
                if (matches(e)) await WriteAsync(context, e, legacyFields);
            }
        }
        catch (OperationCanceledException)
        {
            // until reached or client gone: the stream just ends
        }
    }

    private static async Task WriteAsync(HttpContext context, EngineEvent e, bool legacyFields)
    {
        var message = new EventMessage
        {
            Type = e.Type,
            Action = e.Action,
            Actor = new EventActor { ID = e.ActorId, Attributes = new Dictionary<string, string>(e.Attributes) },
            Scope = e.Scope,
            Time = e.TimeSeconds,
            TimeNano = e.TimeNano,
        };
        if (legacyFields && e.Type is "container" or "image")
        {
            message.Status = e.Action;
            message.LegacyId = e.ActorId;
            message.From = e.Attributes.GetValueOrDefault("image");
        }
        var body = context.Response.Body;
        await JsonLines.WriteAsync(body, message, ApiJsonContext.Default.EventMessage, context.RequestAborted);
        await body.FlushAsync(context.RequestAborted);
    }
}
