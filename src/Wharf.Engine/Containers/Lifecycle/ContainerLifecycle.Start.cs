using System.Text.Json;
using Wharf.Core.Errors;
using Wharf.Core.Shim;
using Wharf.Core;
using Wharf.Engine.Containers.Io;
using Wharf.Engine.Containers.Networking;
using Wharf.Engine.Containers.Spec;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Logging;

namespace Wharf.Engine.Containers.Lifecycle;

public sealed partial class ContainerLifecycle
{
    /// <summary>docker start: rootfs mount, OCI bundle, shim, runc. A failure at any step leaves nothing behind
    /// (no mount, no shim, no runc state) and records the error in State.Error, with the container kept
    /// "created" (or "exited" if it had run before), as Docker does.</summary>
    public async Task StartAsync(string nameOrId, CancellationToken ct)
    {
        var entry = Find(nameOrId);
        try
        {
            await StartGuardedAsync(entry, ct).ConfigureAwait(false);
        }
        catch (Exception e) when ((e is not EngineException { Kind: ErrorKind.NotModified or ErrorKind.Conflict } || ContainerNetworking.IsJoinFailure(e)) && entry.Record.Host.AutoRemove)
        {
            // As Docker: an --rm container that cannot start is removed, which also completes the
            // "removed" wait the CLI is blocked on.
            await RemoveAsync(entry.Record.Id, force: true, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartGuardedAsync(ContainerEntry entry, CancellationToken ct)
    {
        await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (entry.Record.State.Paused) throw EngineException.Conflict("cannot start a paused container, try unpause instead");
            if (entry.Record.State.Running) throw EngineException.NotModified();
            if (entry.RemovalInProgress) throw EngineException.Conflict("container is marked for removal and cannot be started");
            ResetRestartPolicyLocked(entry);
            await StartLockedAsync(entry, ct).ConfigureAwait(false);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>The variables of every legacy link (ALIAS_NAME, ALIAS_PORT_…, ALIAS_ENV_…), from each running target.</summary>
    private List<string> LinkEnvironment(ContainerRecord record)
    {
        var env = new List<string>();
        // The target's Config.Env already has its image's variables merged in at create, as Docker's does.
        foreach (var (target, link, address) in _networking.ResolveLinks(record))
            env.AddRange(LegacyLinkEnvironment.For(record.Name, link.Alias, address, [.. target.Config.ExposedPorts, .. target.Host.PortBindings.Keys], target.Config.Env));
        return env;
    }

    private async Task StartLockedAsync(ContainerEntry entry, CancellationToken ct)
    {
        var record = entry.Record;
        var paths = PathsOf(record);
        var image = _images.Resolve(record.ImageId);
        Directory.CreateDirectory(paths.StateDir);
        await WaitForPreviousShimAsync(record).ConfigureAwait(false);
        // A start cut short (a crash, a shim sent away) may have left its rootfs mounted; mounting again on top would
        // leave one overlay behind at the next exit. Only an existing directory can be a mount point: a container's
        // first start (the rootfs directory is made below) skips the mount table, which is read whole (every
        // container's overlay, shm and netns are in it), so that a thousand first starts cost O(N) and not O(N²).
        if (Directory.Exists(paths.RootfsMount) && _mounts.IsMounted(paths.RootfsMount)) _mounts.Unmount(paths.RootfsMount);
        var mounted = false;
        var network = NetworkStart.None;
        var shimAwaitingStart = false;
        try
        {
            var linkEnv = LinkEnvironment(record);
            network = _networking.BeginNetwork(record);
            var rootfs = _snapshots.PrepareContainerLayer(record.Id, image, paths.RootfsMount);
            _mounts.Mount(rootfs);
            mounted = true;

            var spec = SpecBuilder.Build(record, image.Config, new SpecInputs(
                RootfsPath: paths.RootfsMount,
                HostnamePath: (network.SharedFiles ?? paths).HostnameFile,
                HostsPath: (network.SharedFiles ?? paths).HostsFile,
                ResolvConfPath: (network.SharedFiles ?? paths).ResolvConfFile,
                NetworkNamespacePath: network.NamespacePath,
                HostNofileHardLimit: _options.HostNofileHardLimit,
                CgroupsPath: Wharf.Engine.Containers.Resources.CgroupPaths.Of(record.Host, _options.CgroupParent, record.Id),
                SwapLimitSupported: _options.SwapLimitSupported,
                HostCapabilities: _options.HostCapabilities,
                PrivilegedDevices: DeviceResolution.PrivilegedDevicesFor(record.Host, _options),
                Devices: DeviceResolution.Resolve(record.Host, _options),
                LinkEnv: linkEnv,
                BlockDevices: BlockIoSpec.Resolve(record.Host, _options.HostDevices)));
            if (InitOption.IsWanted(record.Host, _options.InitByDefault)) spec = spec.WithInit(_options.InitPath);
            spec = await _volumeMounts.WithContainerMountsAsync(record, spec, paths.RootfsMount).ConfigureAwait(false);
            File.WriteAllBytes(paths.SpecFile, JsonSerializer.SerializeToUtf8Bytes(spec, CoreJsonContext.Default.RuntimeSpec));
            File.Delete(ShimPaths.ExitFile(paths.StateDir));

            var shim = new ShimOptions
            {
                Id = record.Id,
                Bundle = paths.Bundle,
                StateDir = paths.StateDir,
                Runtime = _options.RuntimePath,
                RuntimeRoot = _options.RuntimeRoot,
                LogPath = paths.LogFile,
                RootfsMount = paths.RootfsMount,
                OpenStdin = record.Config.OpenStdin,
                StdinOnce = record.Config.StdinOnce,
                Tty = record.Config.Tty,
            };
            shim = WithLogSettings(shim, record);
            await _shims.LaunchAsync(shim, ct).ConfigureAwait(false);
            shimAwaitingStart = true;
            await _io.ConnectPendingAttachesAsync(entry, paths.StateDir, ct).ConfigureAwait(false);
            // runc must find the veths, addresses and the hosts/resolv.conf files in place.
            await network.Ready.ConfigureAwait(false);

            shimAwaitingStart = false;
            // Not cancellable: once runc is asked, a client that hangs up must not turn a container that runs into
            // one the daemon believes failed (its rootfs unmounted and network released under it).
            var answer = await _shims.StartAsync(paths.StateDir, CancellationToken.None).ConfigureAwait(false);
            if (!answer.Ok)
            {
                mounted = false; // the shim unmounts the rootfs and cleans runc's state when start fails
                throw StartFailure(record, answer.Error ?? "unknown error");
            }

            record.HasBeenManuallyStopped = false;
            MarkRunningLocked(entry, answer.Pid);
            Publish(record, "start");
            MonitorAsync(entry, paths.StateDir).Observe(_log, "exit monitor", record.Id);
        }
        catch (Exception e) when (e is not EngineException { Kind: ErrorKind.NotModified })
        {
            // The wiring may still be running (a failure elsewhere came first): releasing before it ends would
            // leave what it creates afterwards behind.
            await network.SettleAsync(_log, record.Id).ConfigureAwait(false);
            if (shimAwaitingStart) await _shims.AbandonAsync(paths.StateDir).ConfigureAwait(false);
            if (mounted) _mounts.Unmount(paths.RootfsMount);
            foreach (var participant in _participants) participant.ReleaseRun(record);
            ContainerIo.FailPendingAttaches(entry, e);
            if (e is not EngineException { Kind: ErrorKind.InvalidArgument } && record.State.Error == "")
            {
                record.State.Error = e.Message;
                Persist(record);
            }
            else
            {
                // Whatever the attempt changed in memory (a joined network's hostname…) is what readers see next.
                _store.Publish(record);
            }
            throw;
        }
    }

    /// <summary>Records a failed runc start the way Docker does: exit code 127 for a missing executable, 126 for
    /// one that cannot be executed, State.Error set, and an error whose text keeps runc's wording (the CLI maps
    /// "executable file not found" / "permission denied" to its own exit codes).</summary>
    private EngineException StartFailure(ContainerRecord record, string runcError)
    {
        var message = $"failed to create task for container: OCI runtime create failed: {runcError}: unknown";
        var exitCode = StartErrors.ExitCodeFor(runcError);
        record.State.Error = message;
        record.State.ExitCode = exitCode ?? 128;
        record.State.Running = false;
        record.State.Pid = 0;
        if (!record.HasBeenStartedBefore) record.State.Status = ContainerStatus.Created;
        else { record.State.Status = ContainerStatus.Exited; record.State.FinishedAt = _time.GetUtcNow(); }
        Persist(record);
        return new EngineException(exitCode is null ? ErrorKind.Unknown : ErrorKind.InvalidArgument, message);
    }

    /// <summary>With the container's gate held: its process (<paramref name="pid"/>) runs from now on — a start, or
    /// a shim found running at daemon start. The record is saved and the health monitor (if any) starts (and
    /// publishes its "starting" health).</summary>
    private void MarkRunningLocked(ContainerEntry entry, int pid)
    {
        var record = entry.Record;
        var previousHealth = record.State.Health;
        record.State = new ContainerState
        {
            Status = ContainerStatus.Running,
            Running = true,
            Pid = pid,
            StartedAt = _time.GetUtcNow(),
        };
        record.HasBeenStartedBefore = true;
        Persist(record);
        _health.StartMonitor(entry, previousHealth);
    }
}
