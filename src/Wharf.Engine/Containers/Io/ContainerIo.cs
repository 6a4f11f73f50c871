using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wharf.Core.Errors;
using Wharf.Core.Shim;
using Wharf.Engine.Containers.Store;

namespace Wharf.Engine.Containers.Io;

/// <summary>A container's standard streams: attach (now, or at its next start), the pty size, and its logs as its
/// shim wrote them.</summary>
public sealed partial class ContainerIo
{
    private readonly ContainerStore _store;
    private readonly IShimClient _shims;
    private readonly ContainerEvents _events;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    public ContainerIo(ContainerStore store, IShimClient shims, ContainerEvents events, TimeProvider time, ILogger<ContainerIo>? log = null)
    {
        _store = store;
        _shims = shims;
        _events = events;
        _time = time;
        _log = log ?? NullLogger<ContainerIo>.Instance;
    }

    /// <summary>POST /containers/{id}/resize: sets the pty's size (the process gets SIGWINCH). A container without a
    /// TTY has nothing to resize: a no-op, as Docker.</summary>
    public async Task ResizeAsync(string nameOrId, int height, int width, CancellationToken ct)
    {
        var record = Get(nameOrId);
        if (!record.State.Running) throw EngineException.Conflict($"Container {record.Id} is not running");
        if (!record.Config.Tty) return;
        var answer = await _shims.ResizeAsync(PathsOf(record.Id).StateDir, null, height, width, ct).ConfigureAwait(false);
        if (!answer.Ok) throw EngineException.Conflict(answer.Error ?? "resize failed");
        Publish(record, "resize", ("height", height.ToString(CultureInfo.InvariantCulture)), ("width", width.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>A client left an attach with the detach keys; the container keeps running.</summary>
    public void PublishDetach(string nameOrId)
    {
        if (TryGet(nameOrId, out var record)) Publish(record, "detach");
    }

    private ContainerEntry Find(string nameOrId) => _store.Find(nameOrId);

    private ContainerSnapshot Get(string nameOrId) => _store.Get(nameOrId);

    private bool TryGet(string nameOrId, out ContainerSnapshot record) => _store.TryGet(nameOrId, out record);

    private ContainerPaths PathsOf(string containerId) => _store.PathsOf(containerId);

    private void Publish(ContainerSnapshot record, string action, params (string Key, string Value)[] extra) => _events.Publish(record, action, extra);
}
