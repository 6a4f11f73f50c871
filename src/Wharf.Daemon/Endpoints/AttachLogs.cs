using System.Text;
using Wharf.Api.Streams;
using Wharf.Core.Errors;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Store;

namespace Wharf.Daemon.Endpoints;

/// <summary>attach's ?logs=1: before (or instead of) the live stream, the output the container has already logged,
/// framed as the live stream is (raw for a TTY container, stdout/stderr frames otherwise).</summary>
internal static class AttachLogs
{
    /// <summary>Pause between the upgrade answer and output that is ready at once (see the logs-only attach).</summary>
    public static readonly TimeSpan HeaderGrace = TimeSpan.FromMilliseconds(100);

    public static async Task ReplayAsync(ContainerService containers, ContainerSnapshot record, bool stdout, bool stderr, Stream output, CancellationToken ct) =>
        await ReplayAsync(containers, record, stdout, stderr, output, framed: !record.Config.Tty, ct);

    /// <summary>With <paramref name="framed"/> false the bytes go as they are (websocket attach never multiplexes).</summary>
    public static async Task ReplayAsync(ContainerService containers, ContainerSnapshot record, bool stdout, bool stderr, Stream output, bool framed, CancellationToken ct)
    {
        if (!stdout && !stderr) return;
        try
        {
            containers.EnsureLogsReadable(record.Id);
        }
        catch (EngineException)
        {
            return; // a log driver that cannot be read back (none, syslog...): nothing to replay, as with Docker
        }
        await foreach (var line in containers.ReadLogsAsync(record.Id, new LogQuery(stdout, stderr, false, null, null, null), ct))
        {
            var payload = Encoding.UTF8.GetBytes(line.Log);
            if (!framed) await output.WriteAsync(payload, ct);
            else await StdCopy.WriteFrameAsync(output, line.Stream == "stderr" ? StdStreamType.Stderr : StdStreamType.Stdout, payload, ct);
        }
    }
}
