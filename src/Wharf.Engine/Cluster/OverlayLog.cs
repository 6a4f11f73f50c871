using Microsoft.Extensions.Logging;

namespace Wharf.Engine.Cluster;

internal static partial class OverlayLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Overlay network {Network}: peer {Endpoint} could not be programmed: {Reason}")]
    public static partial void PeerNotProgrammed(ILogger logger, string network, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Overlay network {Network}: cluster store step failed ({Step}): {Reason}")]
    public static partial void StoreStepFailed(ILogger logger, string network, string step, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Global networks: the cluster store is unreachable, listing again shortly: {Reason}")]
    public static partial void CatalogRetry(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Global network {Network} from the cluster store not taken in: {Reason}")]
    public static partial void NetworkNotAdopted(ILogger logger, string network, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Overlay network {Network}: the address {Address} of {Endpoint} was claimed by another endpoint (on {Holder}) while this host was cut from the cluster store; the container keeps running but the other hosts do not reach it: reconnect it to the network (docker network disconnect, connect) or restart it for a fresh address")]
    public static partial void AddressConflict(ILogger logger, string network, string endpoint, string address, string holder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Overlay: {Count} endpoint(s) of this host published again under the new lease {Lease:x}")]
    public static partial void Republished(ILogger logger, int count, long lease);

    [LoggerMessage(Level = LogLevel.Information, Message = "Overlay network {Network}: peer {Address} on {Vtep} went with its host's lease; its entries stay programmed for {Retention} in case that host is only cut from the cluster store")]
    public static partial void PeerRetained(ILogger logger, string network, string address, string vtep, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Information, Message = "Overlay network {Network}: peer {Address} on {Vtep} did not come back; its entries are removed")]
    public static partial void PeerRetentionEnded(ILogger logger, string network, string address, string vtep);
}
