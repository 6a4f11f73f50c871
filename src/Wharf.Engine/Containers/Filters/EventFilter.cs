namespace Wharf.Engine.Containers.Filters;

/// <summary>The <c>GET /events</c> filters: type, event, container, image, label, network, volume, daemon.</summary>
public sealed class EventFilter
{
    public static IReadOnlyList<string> AcceptedKeys { get; } =
    [
        "config", "container", "daemon", "event", "image", "label", "network", "node", "plugin", "scope",
        "secret", "service", "type", "volume",
    ];

    private readonly FilterSet _filters;

    public EventFilter(FilterSet filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        filters.Validate(AcceptedKeys);
        _filters = filters;
    }

    public bool Matches(EventFilterSubject e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var f = _filters;
        return MatchesAction(e)
            && f.ExactMatch("type", e.Type)
            && MatchesActor(e, "container", "container")
            && MatchesActor(e, "network", "network")
            && MatchesActor(e, "volume", "volume")
            && MatchesActor(e, "daemon", "daemon")
            && MatchesImage(e)
            && f.MatchLabels("label", e.Attributes);
    }

    // Exec actions carry the command after a colon ("exec_start: sh"); "exec_start" must still match.
    private bool MatchesAction(EventFilterSubject e)
    {
        var colon = e.Action.IndexOf(':', StringComparison.Ordinal);
        return _filters.ExactMatch("event", e.Action)
            || (colon > 0 && _filters.ExactMatch("event", e.Action[..colon]));
    }

    // A container/network/volume filter names the actor by id (prefix) or name; events of other types never match it.
    private bool MatchesActor(EventFilterSubject e, string key, string type)
    {
        if (!_filters.Contains(key))
        {
            return true;
        }

        if (e.Type != type)
        {
            return false;
        }

        return _filters.FuzzyMatch(key, e.ActorId)
            || (e.Attributes.TryGetValue("name", out var name) && _filters.ExactMatch(key, name));
    }

    // For image events the actor is the image; for container events the "image" attribute names it.
    // "busybox" should match "busybox:latest", so a trailing tag is also tried without.
    private bool MatchesImage(EventFilterSubject e)
    {
        if (!_filters.Contains("image"))
        {
            return true;
        }

        var candidates = new List<string>();
        if (e.Type == "image")
        {
            candidates.Add(e.ActorId);
        }

        var nameKey = e.Type == "image" ? "name" : "image";
        if (e.Attributes.TryGetValue(nameKey, out var imageName))
        {
            candidates.Add(imageName);
        }

        if (e.Type != "image" && e.Type != "container")
        {
            return false;
        }

        foreach (var candidate in candidates.Where(c => c.Length > 0))
        {
            if (_filters.ExactMatch("image", candidate) || _filters.ExactMatch("image", WithoutTag(candidate)))
            {
                return true;
            }
        }

        return _filters.Get("image").Any(v => v.Length > 0 && e.Type == "image" && e.ActorId.StartsWith(v, StringComparison.Ordinal));
    }

    private static string WithoutTag(string reference)
    {
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return reference[..at];
        }

        var lastSlash = reference.LastIndexOf('/');
        var colon = reference.LastIndexOf(':');
        return colon > lastSlash ? reference[..colon] : reference;
    }
}
