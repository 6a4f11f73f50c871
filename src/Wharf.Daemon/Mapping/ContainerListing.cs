using Wharf.Daemon.Logging;
using Wharf.Engine.Containers;
using Wharf.Engine.Networks;
using Dto = Wharf.Api.Containers;
using Wharf.Engine.Containers.Store;

namespace Wharf.Daemon.Mapping;

/// <summary>docker ps answers for every container at once, so one record must never fail it for everyone: a record
/// that cannot be mapped in full (stored by an older daemon before create validated it, or edited by hand) is listed
/// with the few fields that cannot fail, and the reason goes to the daemon log.</summary>
internal static class ContainerListing
{
    public static List<Dto.ContainerSummary> Summaries(IEnumerable<ContainerSnapshot> records, DateTimeOffset now, NetworkService? networks, ILogger logger) =>
        records.Select(r => Summary(r, now, networks, logger)).ToList();

    private static Dto.ContainerSummary Summary(ContainerSnapshot record, DateTimeOffset now, NetworkService? networks, ILogger logger)
    {
        try
        {
            return NetworkMapper.FillSummary(ContainerMapper.ToSummary(record, now), record, networks);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            DaemonLog.RecordNotListable(logger, record.Id, e);
            return new Dto.ContainerSummary
            {
                Id = record.Id,
                Names = ["/" + record.Name],
                Image = record.Config?.Image ?? "",
                ImageID = record.ImageId ?? "",
                Created = record.Created.ToUnixTimeSeconds(),
                State = record.State?.Status ?? "",
                Status = "",
                Ports = [],
            };
        }
    }
}
