using Wharf.Daemon.Endpoints;

namespace Wharf.EndToEnd.Tests.Fuzz;

/// <summary>One route to fuzz: a method, a path with "{}" placeholders, and the query parameters Docker declares for it.</summary>
public sealed record FuzzTarget(string Method, string Path, IReadOnlyList<QueryParameter> Query)
{
    /// <summary>Every registered route; a catch-all route ("/images/{**rest}", whose handler dispatches on the rest) stands
    /// for the spec's routes under its prefix with its methods, and for itself with an arbitrary tail.</summary>
    public static IReadOnlyList<FuzzTarget> From(IReadOnlyList<ApiRoute> registered, IReadOnlyList<(string Method, string Path)> specRoutes,
        IReadOnlyDictionary<string, IReadOnlyList<QueryParameter>> specQuery)
    {
        var targets = new Dictionary<string, FuzzTarget>(StringComparer.Ordinal);
        void Add(string method, string path)
        {
            var normalized = SpecQueryParameters.Normalize(path);
            var key = method + " " + normalized;
            targets.TryAdd(key, new FuzzTarget(method, normalized, specQuery.GetValueOrDefault(key) ?? []));
        }
        foreach (var route in registered)
        {
            var catchAll = route.Pattern.IndexOf("{**", StringComparison.Ordinal);
            if (catchAll < 0)
            {
                Add(route.Method, route.Pattern);
                continue;
            }
            var prefix = route.Pattern[..catchAll];
            foreach (var (method, path) in specRoutes)
                if (method == route.Method && path.StartsWith(prefix, StringComparison.Ordinal) && path.Length > prefix.Length) Add(method, path);
            Add(route.Method, prefix + "{}");
        }
        return targets.Values.OrderBy(t => t.Path, StringComparer.Ordinal).ThenBy(t => t.Method, StringComparer.Ordinal).ToList();
    }
}
