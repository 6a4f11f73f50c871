using Microsoft.Extensions.Logging;

namespace Wharf.Engine.Containers;

/// <summary>A start's network: the namespace path the spec names (null: none, host) and the wiring, which may still
/// be running when the rootfs and the shim are ready. SharedFiles: the container whose hostname, hosts and resolv.conf
/// files a container:&lt;id&gt; container uses instead of its own.</summary>
internal sealed record NetworkStart(string? NamespacePath, Task Ready, ContainerPaths? SharedFiles = null)
{
    public static NetworkStart None { get; } = new(null, Task.CompletedTask);

    /// <summary>Waits for the wiring to end, however it ends (its failure is reported by whoever awaits Ready).</summary>
    public async Task SettleAsync(ILogger log, string containerId)
    {
        try
        {
            await Ready.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Settled is all that matters here: the start failed already, and that failure is the one reported.
            ContainerLog.WiringFailedAfterStartFailure(log, e, containerId);
        }
    }
}
