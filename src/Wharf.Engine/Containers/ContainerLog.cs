using Microsoft.Extensions.Logging;

namespace Wharf.Engine.Containers;

/// <summary>What the container subsystem has to say about failures it handles without failing the request.</summary>
internal static partial class ContainerLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Container {Id}: the shim went away without reporting the exit; reading its exit file")]
    public static partial void ShimLost(ILogger log, Exception error, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container {Id}: the shim left no readable exit file; recording exit code 255")]
    public static partial void NoExitFile(ILogger log, string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Container {Id}: recording the exit (code {ExitCode}) failed")]
    public static partial void RecordExitFailed(ILogger log, Exception error, string id, int exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container {Id}: writing health status {Status} to its record failed; readers see it, the file is behind until the next change")]
    public static partial void RecordHealthFailed(ILogger log, Exception error, string id, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container {Id}: {Step} after exit failed")]
    public static partial void CleanupFailed(ILogger log, Exception error, string id, string step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container {Id}: releasing volume {Volume} failed")]
    public static partial void ReleaseVolumeFailed(ILogger log, Exception error, string id, string volume);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container {Id}: releasing its network endpoints failed")]
    public static partial void ReleaseNetworkFailed(ILogger log, Exception error, string id);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Container {Id}: network wiring ended in an error after the start had failed already")]
    public static partial void WiringFailedAfterStartFailure(ILogger log, Exception error, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container {Id}: automatic restart failed")]
    public static partial void RestartFailed(ILogger log, Exception error, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container {Id}: start by restart policy after daemon start failed")]
    public static partial void StartByPolicyFailed(ILogger log, Exception error, string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Container record {Path} cannot be read; skipped (left on disk for inspection)")]
    public static partial void RecordUnreadable(ILogger log, Exception error, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Container {Id}: the shim was gone when signal {Signal} was sent; the exit monitor records the exit")]
    public static partial void SignalShimGone(ILogger log, Exception error, string id, int signal);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Container {Id}: exec {ExecId} lost its shim; recording exit code -1")]
    public static partial void ExecShimGone(ILogger log, Exception error, string id, string execId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Container {Id}: attach could not connect to the shim")]
    public static partial void AttachFailed(ILogger log, Exception error, string id);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Container {Id}: cleanup of {Path} failed")]
    public static partial void ArchiveCleanupFailed(ILogger log, Exception error, string id, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container {Id}: {Step} while reconciling after daemon start failed")]
    public static partial void ReconcileStepFailed(ILogger log, Exception error, string id, string step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled after daemon start: {Adopted} shims adopted, {Dismissed} stray shims ended, {Mounts} rootfs mounts, {StateDirs} state directories, {Runtime} runc leftovers and {Network} network leftovers removed")]
    public static partial void Reconciled(ILogger log, int adopted, int dismissed, int mounts, int stateDirs, int runtime, int network);
}
