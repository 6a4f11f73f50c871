using Wharf.Core.Errors;
using Wharf.Engine.Containers.Filters;
using Wharf.Engine.Networks;

namespace Wharf.Daemon.Endpoints;

/// <summary>The <c>filters</c> of GET /networks and POST /networks/prune as predicates over network records, with
/// Docker's semantics and its refusals (a filter it cannot read is a 400, never "match everything").</summary>
internal static class NetworkFilters
{
    private static readonly string[] ListKeys = ["dangling", "driver", "id", "label", "name", "scope", "type"];
    private static readonly string[] PruneKeys = ["label", "label!", "until"];

    /// <summary>docker network ls: driver and scope exact; name and id as unanchored patterns (so a part of the name
    /// or id finds it); every label condition must hold; type custom|builtin; dangling = no containers and not
    /// predefined. <paramref name="scopeOf"/>: a network's scope (local, or global for overlay networks).</summary>
    public static Func<NetworkRecord, bool> ForList(FilterSet filters, Func<NetworkRecord, string>? scopeOf = null)
    {
        ArgumentNullException.ThrowIfNull(filters);
        filters.Validate(ListKeys);
        bool? dangling = null;
        var danglingValues = filters.Get("dangling");
        if (danglingValues.Count > 1) throw EngineException.Invalid("got more than one value for filter key \"dangling\"");
        if (danglingValues.Count == 1)
        {
            dangling = danglingValues[0] switch
            {
                "1" or "true" => true,
                "0" or "false" => false,
                _ => throw EngineException.Invalid("invalid value for filter 'dangling', must be \"true\" (or \"1\"), or \"false\" (or \"0\")"),
            };
        }
        var types = filters.Get("type");
        foreach (var type in types)
            if (type is not ("custom" or "builtin")) throw EngineException.Invalid($"invalid filter: 'type'='{type}'");

        return n => filters.ExactMatch("driver", n.Driver)
            && filters.RegexMatch("name", n.Name)
            && filters.RegexMatch("id", n.Id)
            && filters.MatchLabels("label", n.Labels)
            && filters.ExactMatch("scope", scopeOf?.Invoke(n) ?? "local")
            && (types.Count == 0 || types.Contains(n.IsPredefined ? "builtin" : "custom"))
            && (dangling is not { } d || d == IsDangling(n));
    }

    /// <summary>docker network prune: created at or before until (when given), every label condition holds, and not
    /// every label! condition holds (label!=k keeps the networks labelled k). Whether a network is unused is the
    /// engine's decision.</summary>
    public static Func<NetworkRecord, bool> ForPrune(FilterSet filters, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(filters);
        filters.Validate(PruneKeys);
        var until = PruneUntil.From(filters, time);
        return n => (until is not { } u || n.Created <= u)
            && filters.MatchLabels("label", n.Labels)
            && (!filters.Contains("label!") || !filters.MatchLabels("label!", n.Labels));
    }

    private static bool IsDangling(NetworkRecord n) => !n.IsPredefined && n.Endpoints.Count == 0;
}
