using Wharf.Daemon.Http;
using Wharf.Engine.Events;

namespace Wharf.Daemon.Endpoints;

/// <summary>GET /events: past events from `since` (in a few writes), then live ones until `until` or the client
/// leaves, each flushed at once; one JSON object per line (see <see cref="EventLines"/>).</summary>
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

        if (!await EventLines.WriteReplayAsync(context.Response.Body, subscription.Past, matches, untilNano, legacyFields, context.RequestAborted))
            return;
        try
        {
            await foreach (var e in subscription.Live.ReadAllAsync(stop.Token))
            {
                if (e.TimeNano > untilNano) return;
                if (matches(e)) await EventLines.WriteLiveAsync(context.Response.Body, e, legacyFields, context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // until reached or client gone: the stream just ends
        }
    }
}
