using System.Globalization;
using Wharf.Api.Containers;
using Wharf.Compose.Model;

namespace Wharf.Compose.Planning;

/// <summary>What a service refers to in other services' containers (network_mode, ipc and pid "service:x",
/// volumes_from, links), resolved against the project's containers as Compose v2 resolves them at create: the first container
/// of a service by name stands for it, and the resolved forms are what v2 hashes.</summary>
public sealed class ServiceReferences
{
    private readonly List<ContainerSummary> _containers;

    public ServiceReferences(IEnumerable<ContainerSummary> projectContainers)
    {
        ArgumentNullException.ThrowIfNull(projectContainers);
        _containers = projectContainers
            .Where(c => c.Labels?.GetValueOrDefault(ComposeLabels.OneOff) != "True")
            .ToList();
    }

    public static ServiceReferences None { get; } = new([]);

    /// <summary>Whether creating the service needs other services' containers at all (then, and only then,
    /// compose lists them right before the create).</summary>
    public static bool Needed(ServiceConfig service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Links.Count > 0
            || SharedNamespace.ServiceOf(service.NetworkMode) is not null
            || SharedNamespace.ServiceOf(service.Ipc) is not null
            || SharedNamespace.ServiceOf(service.Pid) is not null
            || service.VolumesFrom.Any(v => VolumesFromSpec.TryParse(v, out var spec) && spec.Service is not null);
    }

    /// <summary>The service's containers, by name (the first one is the one Compose picks).</summary>
    public IEnumerable<ContainerSummary> Of(string serviceName) =>
        _containers
            .Where(c => c.Labels?.GetValueOrDefault(ComposeLabels.Service) == serviceName)
            .OrderBy(CanonicalName, StringComparer.Ordinal);

    public string? FirstContainer(string serviceName) => Of(serviceName).FirstOrDefault()?.Id;

    /// <summary>Everything Compose v2 resolves before it hashes (its resolveServiceReferences): what has no
    /// container yet stays as written.</summary>
    public ResolvedReferences ForHash(ServiceConfig service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return new ResolvedReferences(NetworkMode(service), HashedVolumesFrom(service), SharedMode(service.Ipc), SharedMode(service.Pid));
    }

    /// <summary>"container:ID" for network_mode "service:x" once x has a container (Compose creates and hashes
    /// with that form); null otherwise.</summary>
    public string? NetworkMode(ServiceConfig service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return SharedMode(service.NetworkMode);
    }

    /// <summary>ipc or pid for the engine: "service:x" becomes "container:ID" of x's first container, as v2's
    /// resolveSharedNamespaces does (with its error when x has none); other modes pass as written.</summary>
    public string? EngineNamespaceMode(string? mode, string kind)
    {
        if (SharedNamespace.ServiceOf(mode) is not { } shared)
        {
            return mode;
        }

        return SharedMode(mode) ?? throw new ComposeException($"cannot share {kind} namespace with service {shared}: container missing");
    }

    private string? SharedMode(string? mode) =>
        SharedNamespace.ServiceOf(mode) is { } shared && FirstContainer(shared) is { } id ? "container:" + id : null;

    /// <summary>volumes_from as Compose v2 hashes it after resolving: "container:NAME[:MODE]" becomes NAME and
    /// "SERVICE[:MODE]" the id of the service's first container (v2 drops the mode in both). A service without a
    /// container yet keeps the written form (it can only be hashed before anything exists).</summary>
    public List<string>? HashedVolumesFrom(ServiceConfig service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (service.VolumesFrom.Count == 0)
        {
            return null;
        }

        return service.VolumesFrom.Select(text => VolumesFromSpec.TryParse(text, out var spec)
            ? spec.Container ?? FirstContainer(spec.Service!) ?? text
            : text).ToList();
    }

    /// <summary>HostConfig.VolumesFrom: the source container (a service's first container, by id) with the
    /// written mode, which the engine applies (v2 drops it, so "svc:ro" would mount read-write there).</summary>
    public List<string>? EngineVolumesFrom(ServiceConfig service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (service.VolumesFrom.Count == 0)
        {
            return null;
        }

        return service.VolumesFrom.Select(text =>
        {
            _ = VolumesFromSpec.TryParse(text, out var spec);
            var container = spec.Container ?? FirstContainer(spec.Service!)
                ?? throw new ComposeException($"cannot share volume with service {spec.Service}: container missing");
            return spec.EngineValue(container);
        }).ToList();
    }

    /// <summary>HostConfig.Links (and each endpoint's links) as Compose v2 builds them: for every container of a
    /// linked service, "CONTAINER:ALIAS", "CONTAINER:SERVICE-N" and "CONTAINER:PROJECT-SERVICE-N", where N is
    /// the number of the container being created (v2's getLinks, kept as it is for the same names); then each
    /// external_links entry "CONTAINER[:ALIAS]" as "CONTAINER:ALIAS" (the alias defaults to the container's name;
    /// the engine resolves the container, and refuses the create when it does not exist).</summary>
    public List<string>? Links(ComposeProject project, ServiceConfig service, int number)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(service);
        if (service.Links.Count == 0 && service.ExternalLinks.Count == 0)
        {
            return null;
        }

        var n = number.ToString(CultureInfo.InvariantCulture);
        var links = new List<string>();
        foreach (var link in service.Links)
        {
            var linked = LinkSpec.ServiceOf(link);
            foreach (var container in Of(linked).OrderBy(Planner.NumberOf))
            {
                var name = CanonicalName(container);
                links.Add($"{name}:{LinkSpec.AliasOf(link)}");
                links.Add($"{name}:{linked}-{n}");
                links.Add($"{name}:{project.Name}-{linked}-{n}");
            }
        }

        foreach (var external in service.ExternalLinks)
        {
            links.Add($"{LinkSpec.ServiceOf(external)}:{LinkSpec.AliasOf(external)}");
        }

        return links.Count == 0 ? null : links;
    }

    /// <summary>The container's own name: the one without a link path ("/x", not "/y/x"), as v2 picks it.</summary>
    public static string CanonicalName(ContainerSummary container)
    {
        ArgumentNullException.ThrowIfNull(container);
        var own = container.Names.FirstOrDefault(n => n.LastIndexOf('/') == 0) ?? container.Names.FirstOrDefault();
        return own is null ? container.Id[..Math.Min(12, container.Id.Length)] : own.TrimStart('/');
    }
}
