using System.Globalization;
using Wharf.Api.Containers;
using Wharf.Compose.Model;
using Wharf.Compose.Planning.Hash;

namespace Wharf.Compose.Planning;

/// <summary>Decides, from the project and the containers that exist, what "up" must do. Pure: no engine calls.</summary>
public static class Planner
{
    /// <summary>Services in dependency order (dependencies first), stable by file order otherwise.</summary>
    public static List<ServiceConfig> Order(ComposeProject project, IEnumerable<ServiceConfig> services)
    {
        var ordered = new List<ServiceConfig>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Visit(ServiceConfig service)
        {
            if (!seen.Add(service.Name))
            {
                return;
            }

            foreach (var dependency in service.DependsOn.Keys)
            {
                if (project.Service(dependency) is { } d)
                {
                    Visit(d);
                }
            }

            ordered.Add(service);
        }

        foreach (var service in services)
        {
            Visit(service);
        }

        return ordered;
    }

    /// <summary>The services "up SERVICE..." touches: those named and (unless --no-deps) what they depend on.</summary>
    public static List<ServiceConfig> Select(ComposeProject project, IReadOnlyCollection<string> names, bool withDependencies)
    {
        if (names.Count == 0)
        {
            return Order(project, project.Services);
        }

        var chosen = new List<ServiceConfig>();
        foreach (var name in names)
        {
            chosen.Add(project.Service(name) ?? throw new ComposeException($"no such service: {name}"));
        }

        if (!withDependencies)
        {
            return chosen;
        }

        return Order(project, chosen);
    }

    /// <summary>For stopping: 0 for services nothing depends on, else one more than the deepest dependent.</summary>
    public static Dictionary<string, int> DependentsDepth(ComposeProject project)
    {
        var all = project.Services.Concat(project.DisabledServices).ToList();
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        int Depth(string name, int guard)
        {
            if (depth.TryGetValue(name, out var known))
            {
                return known;
            }

            // The loader rejects cycles; the guard only keeps a hand-made project from recursing forever.
            var dependents = all.Where(s => s.DependsOn.ContainsKey(name)).Select(s => s.Name).ToList();
            var value = guard > all.Count || dependents.Count == 0 ? 0 : dependents.Max(d => Depth(d, guard + 1)) + 1;
            depth[name] = value;
            return value;
        }

        foreach (var service in all)
        {
            Depth(service.Name, 0);
        }

        return depth;
    }

    public static int NumberOf(ContainerSummary container) =>
        container.Labels?.GetValueOrDefault(ComposeLabels.ContainerNumber) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>What to do with each container of a service. A container is recreated, as by Compose v2, when
    /// its config-hash label differs from the service's hash or (when <paramref name="imageId"/> is known)
    /// its com.docker.compose.image label differs from the id of the image the service now names.</summary>
    public static List<ContainerAction> PlanService(ComposeProject project, ServiceConfig service, IEnumerable<ContainerSummary> projectContainers, int scale, bool forceRecreate = false, bool noRecreate = false, string? imageId = null)
    {
        var all = projectContainers.ToList();
        var references = new ServiceReferences(all);
        var existing = all
            .Where(c => c.Labels?.GetValueOrDefault(ComposeLabels.Service) == service.Name && c.Labels?.GetValueOrDefault(ComposeLabels.OneOff) != "True")
            .OrderBy(NumberOf)
            .ToList();
        var actions = new List<ContainerAction>();
        var used = new HashSet<int>();
        var kept = 0;
        foreach (var container in existing)
        {
            var number = NumberOf(container);
            if (kept >= scale || !used.Add(number))
            {
                actions.Add(new ContainerAction(ContainerActionKind.Remove, service, number, container, null));
                continue;
            }

            kept++;
            var expected = ComposeServiceHash.Compute(project, service, references.ForHash(service));
            var current = container.Labels?.GetValueOrDefault(ComposeLabels.ConfigHash);
            var imageChanged = imageId is not null && container.Labels?.GetValueOrDefault(ComposeLabels.Image) != imageId;
            var kind = (forceRecreate || current != expected || imageChanged) && !noRecreate
                ? ContainerActionKind.Recreate
                : container.State == "running" ? ContainerActionKind.Keep : ContainerActionKind.Start;
            actions.Add(new ContainerAction(kind, service, number, container, expected));
        }

        for (var number = 1; kept < scale; number++)
        {
            if (used.Add(number))
            {
                actions.Add(new ContainerAction(ContainerActionKind.Create, service, number, null, null));
                kept++;
            }
        }

        return actions;
    }
}
