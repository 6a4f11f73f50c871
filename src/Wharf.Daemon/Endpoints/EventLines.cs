using Wharf.Api;
using Wharf.Api.Events;
using Wharf.Api.Streams;
using Wharf.Engine.Events;

namespace Wharf.Daemon.Endpoints;

/// <summary>Writes /events lines. A live event is written and flushed on its own (the client must see it at once);
/// the replay of past events (`--since`) is all there already, so it goes out in a few large writes instead of one
/// write and flush per event: with a full history that is a thousand writes (and chunks) fewer, which was most of
/// the time of `docker events --since --until` at scale. Every chunk still holds whole lines only, which
/// newline-delimited JSON readers (the docker CLI, docker-py) need.</summary>
internal static class EventLines
{
    /// <summary>Past events are sent once this many bytes are waiting (and at the end of the replay).</summary>
    internal const int ReplayBatchBytes = 32 * 1024;

    /// <summary>Writes the matching past events up to <paramref name="untilNano"/>, oldest first, and flushes. False
    /// when an event past <paramref name="untilNano"/> was met: the stream is then complete.</summary>
    public static async Task<bool> WriteReplayAsync(Stream body, IEnumerable<EngineEvent> past, Func<EngineEvent, bool> matches,
        long untilNano, bool legacyFields, CancellationToken ct)
    {
        using var batch = new MemoryStream();
        var more = true;
        foreach (var e in past)
        {
            if (e.TimeNano > untilNano) { more = false; break; }
            if (!matches(e)) continue;
            batch.Write(JsonLines.Serialize(ToMessage(e, legacyFields), ApiJsonContext.Default.EventMessage));
            if (batch.Length >= ReplayBatchBytes) await SendAsync(body, batch, ct).ConfigureAwait(false);
        }
        await SendAsync(body, batch, ct).ConfigureAwait(false);
        await body.FlushAsync(ct).ConfigureAwait(false);
        return more;
    }

    /// <summary>One live event: written and flushed at once.</summary>
    public static Task WriteLiveAsync(Stream body, EngineEvent e, bool legacyFields, CancellationToken ct) =>
        JsonLines.WriteAsync(body, ToMessage(e, legacyFields), ApiJsonContext.Default.EventMessage, ct);

    private static async Task SendAsync(Stream body, MemoryStream batch, CancellationToken ct)
    {
        if (batch.Length == 0) return;
        await body.WriteAsync(batch.GetBuffer().AsMemory(0, (int)batch.Length), ct).ConfigureAwait(false);
        batch.SetLength(0);
    }

    internal static EventMessage ToMessage(EngineEvent e, bool legacyFields)
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
        return message;
    }
}
