using System.Globalization;
using Wharf.Core.Errors;
using Wharf.Engine.Containers.Store;

namespace Wharf.Engine.Containers.Filters;

/// <summary>The <c>GET /containers/json</c> filters, validated and with references (before/since/ancestor)
/// resolved once up front, then applied to each container with <see cref="Matches"/>.</summary>
public sealed class ContainerFilter
{
    /// <summary>Keys Docker accepts for container listing. Those Wharf cannot evaluate yet (health, volume,
    /// publish, isolation...) are accepted and match the way they would for containers without that feature.</summary>
    public static IReadOnlyList<string> AcceptedKeys { get; } =
    [
        "ancestor", "before", "expose", "exited", "health", "id", "isolation", "is-task", "label", "name",
        "network", "publish", "since", "status", "volume",
    ];

    private static readonly string[] s_statuses =
    [
        ContainerStatus.Created, ContainerStatus.Restarting, ContainerStatus.Running, ContainerStatus.Removing,
        ContainerStatus.Paused, ContainerStatus.Exited, ContainerStatus.Dead,
    ];

    private readonly FilterSet _filters;
    private readonly HashSet<int> _exitCodes = [];
    private readonly HashSet<string> _ancestorImageIds = new(StringComparer.Ordinal);
    private readonly bool _hasAncestor;
    private readonly ContainerSnapshot? _before;
    private readonly ContainerSnapshot? _since;

    /// <param name="filters">The parsed query.</param>
    /// <param name="resolveImageId">Image reference or id -&gt; image id ("sha256:..."), null when unknown.</param>
    /// <param name="resolveContainer">Container name or id -&gt; record, null when unknown (before/since).</param>
    public ContainerFilter(
        FilterSet filters,
        Func<string, string?> resolveImageId,
        Func<string, ContainerSnapshot?> resolveContainer)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(resolveImageId);
        ArgumentNullException.ThrowIfNull(resolveContainer);
        filters.Validate(AcceptedKeys);
        _filters = filters;

        foreach (var status in filters.Get("status"))
        {
            if (!s_statuses.Contains(status))
            {
                throw EngineException.Invalid($"invalid filter 'status={status}'");
            }
        }

        foreach (var code in filters.Get("exited"))
        {
            if (!int.TryParse(code, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            {
                throw EngineException.Invalid($"invalid filter 'exited={code}'");
            }

            _exitCodes.Add(parsed);
        }

        foreach (var value in filters.Get("health"))
        {
            if (value is not (Health.HealthReport.Starting or Health.HealthReport.Healthy or Health.HealthReport.Unhealthy or Health.HealthReport.None))
            {
                throw EngineException.Invalid($"Unrecognised filter value for health: {value}");
            }
        }

        foreach (var value in filters.Get("is-task"))
        {
            if (value is not ("true" or "false"))
            {
                throw EngineException.Invalid($"invalid filter 'is-task={value}'");
            }
        }

        // Like Docker, an ancestor that names no image is skipped rather than an error.
        _hasAncestor = filters.Contains("ancestor");
        foreach (var reference in filters.Get("ancestor"))
        {
            if (resolveImageId(reference) is { } imageId)
            {
                _ancestorImageIds.Add(imageId);
            }
        }

        _before = ResolveSingle(filters, "before", resolveContainer);
        _since = ResolveSingle(filters, "since", resolveContainer);
    }

    public bool Matches(ContainerSnapshot c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var f = _filters;
        if (f.IsEmpty)
        {
            return true;
        }

        return f.ExactMatch("status", c.State.Status)
            && (f.RegexMatch("name", c.Name) || f.RegexMatch("name", "/" + c.Name))
            && f.FuzzyMatch("id", c.Id)
            && f.MatchLabels("label", c.Config.Labels)
            && MatchesAncestor(c)
            && MatchesExitCode(c)
            && MatchesOrder(c)
            && f.ExactMatch("network", c.Host.NetworkMode)
            && f.ExactMatch("health", c.State.Health?.Status ?? Health.HealthReport.None)
            && f.ExactMatch("is-task", "false")
            && MatchesExpose(c)
            && MatchesVolume(c);
    }

    // Docker matches a volume filter against each mount's volume name (a bind's host source) or destination.
    private bool MatchesVolume(ContainerSnapshot c)
    {
        var wanted = _filters.Get("volume");
        return wanted.Count == 0 || c.MountPoints.Any(m =>
            wanted.Contains(m.Destination) || wanted.Contains(m.Name.Length > 0 ? m.Name : m.Source));
    }

    private bool MatchesAncestor(ContainerSnapshot c) => !_hasAncestor || _ancestorImageIds.Contains(c.ImageId);

    // Exit codes only mean something for containers that ran and stopped.
    private bool MatchesExitCode(ContainerSnapshot c) =>
        _exitCodes.Count == 0 || (c.State.Status == ContainerStatus.Exited && _exitCodes.Contains(c.State.ExitCode));

    private bool MatchesOrder(ContainerSnapshot c)
    {
        if (_before is not null && (c.Id == _before.Id || c.Created >= _before.Created))
        {
            return false;
        }

        return _since is null || (c.Id != _since.Id && c.Created > _since.Created);
    }

    private bool MatchesExpose(ContainerSnapshot c)
    {
        var wanted = _filters.Get("expose");
        if (wanted.Count == 0)
        {
            return true;
        }

        // "80" means "80/tcp", as in Docker's port notation.
        return wanted.Any(port => c.Config.ExposedPorts.Contains(port.Contains('/', StringComparison.Ordinal) ? port : port + "/tcp"));
    }

    private static ContainerSnapshot? ResolveSingle(FilterSet filters, string key, Func<string, ContainerSnapshot?> resolve)
    {
        var values = filters.Get(key);
        if (values.Count == 0)
        {
            return null;
        }

        var reference = values[^1];
        return resolve(reference) ?? throw EngineException.NoSuchContainer(reference);
    }
}
