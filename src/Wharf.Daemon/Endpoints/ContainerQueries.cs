using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Filters;
using Wharf.Engine.Events;
using Wharf.Engine.Images;
using Wharf.Engine.Containers.Store;

namespace Wharf.Daemon.Endpoints;

/// <summary>Turns the `filters` query parameter of ps, prune and events into predicates over engine objects.</summary>
internal sealed class ContainerQueries(ImageService images, ContainerService containers, TimeProvider time)
{
    private static readonly string[] PruneKeys = ["until", "label", "label!"];

    public Func<ContainerSnapshot, bool> Matcher(string? filtersJson)
    {
        var filters = FilterSet.Parse(filtersJson);
        if (filters.IsEmpty) return static _ => true;
        var filter = new ContainerFilter(
            filters,
            reference => images.TryResolve(reference, out var image) ? image.Id.ToString() : null,
            nameOrId => containers.TryGet(nameOrId, out var record) ? record : null);
        return filter.Matches;
    }

    public Func<ContainerSnapshot, bool> PruneMatcher(string? filtersJson)
    {
        var filters = FilterSet.Parse(filtersJson);
        filters.Validate(PruneKeys);
        var until = PruneUntil.From(filters, time) ?? DateTimeOffset.MaxValue;
        return record =>
            record.Created < until
            && (!filters.Contains("label") || filters.MatchLabels("label", record.Config.Labels))
            && (!filters.Contains("label!") || !filters.MatchLabels("label!", record.Config.Labels));
    }

    public Func<EngineEvent, bool> EventMatcher(string? filtersJson)
    {
        var filters = FilterSet.Parse(filtersJson);
        if (filters.IsEmpty) return static _ => true;
        var filter = new EventFilter(filters);
        return e => filter.Matches(new EventFilterSubject(e.Type, e.Action, e.ActorId, e.Attributes));
    }
}
