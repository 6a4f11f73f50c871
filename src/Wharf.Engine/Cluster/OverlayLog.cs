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
}
