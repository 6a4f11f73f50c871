using Wharf.Compose.Model;
using Wharf.Compose.Yaml;

namespace Wharf.Compose.Loading;

/// <summary>Cross-references: depends_on targets and cycles, networks, volumes, secrets and configs that a
/// service uses must be declared. Errors name the line of the entry that refers to them (else of the key, else of
/// the service), so the user goes straight to it; all of this runs before anything is created.</summary>
internal static class ProjectValidator
{
    public static void Validate(ComposeProject project, MapNode root)
    {
        var services = root.Get("services") as MapNode;
        Node Where(string service) => services?.Get(service) ?? root;

        // The key as written under the service (a merged file keeps each node's own file and line).
        Node WhereKey(string service, string key) => (Where(service) as MapNode)?.Get(key) ?? Where(service);

        // The entry of a list or map key that names an object: "name", "name:...", {source: name} or name: {...}.
        Node WhereEntry(string service, string key, string name)
        {
            var node = WhereKey(service, key);
            return node switch
            {
                MapNode map => map.Get(name) is { } value && value.Where != Yaml.SourceLocation.None ? value : node,
                SeqNode seq => seq.Items.FirstOrDefault(item => item switch
                {
                    ScalarNode scalar => scalar.Value == name || scalar.Value.StartsWith(name + ":", StringComparison.Ordinal),
                    MapNode entry => entry.Get("source") is ScalarNode source && source.Value == name,
                    _ => false,
                }) ?? node,
                _ => node,
            };
        }

        // Which key made the dependency: depends_on as written, else the link or volumes_from that implies it.
        string DependencyKey(ServiceConfig service, string dependency) =>
            WhereEntry(service.Name, "depends_on", dependency) != WhereKey(service.Name, "depends_on") ? "depends_on"
            : service.Links.Any(l => LinkSpec.ServiceOf(l) == dependency) ? "links"
            : service.VolumesFrom.Any(v => VolumesFromSpec.TryParse(v, out var spec) && spec.Service == dependency) ? "volumes_from"
            : "depends_on";

        var all = project.Services.Concat(project.DisabledServices).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var service in project.Services)
        {
            // Before depends_on: a "service:x" mode is also an implicit depends_on, and the key it was written
            // under says more than "depends on undefined service".
            foreach (var (key, mode) in new[] { ("network_mode", service.NetworkMode), ("ipc", service.Ipc), ("pid", service.Pid), ("uts", service.Uts) })
            {
                if (SharedNamespace.ServiceOf(mode) is { } shared && !all.Contains(shared))
                {
                    throw ComposeException.At(WhereKey(service.Name, key), $"services.{service.Name}.{key}", $"service \"{shared}\" not found");
                }
            }

            foreach (var (dependency, spec) in service.DependsOn)
            {
                if (!all.Contains(dependency) && spec.Required)
                {
                    var key = DependencyKey(service, dependency);
                    throw ComposeException.At(WhereEntry(service.Name, key, dependency), $"services.{service.Name}.{key}", $"service \"{service.Name}\" depends on undefined service \"{dependency}\"");
                }
            }

            foreach (var network in service.Networks.Keys)
            {
                if (!project.Networks.ContainsKey(network))
                {
                    throw ComposeException.At(WhereEntry(service.Name, "networks", network), $"services.{service.Name}.networks", $"service \"{service.Name}\" refers to undefined network {network}: invalid compose project");
                }
            }

            foreach (var volume in service.Volumes.Where(v => v.Type == "volume" && v.Source is not null))
            {
                if (!project.Volumes.ContainsKey(volume.Source!))
                {
                    throw ComposeException.At(WhereEntry(service.Name, "volumes", volume.Source!), $"services.{service.Name}.volumes", $"service \"{service.Name}\" refers to undefined volume {volume.Source}: invalid compose project");
                }
            }

            foreach (var secret in service.Secrets.Where(s => !project.Secrets.ContainsKey(s.Source)))
            {
                throw ComposeException.At(WhereEntry(service.Name, "secrets", secret.Source), $"services.{service.Name}.secrets", $"service \"{service.Name}\" refers to undefined secret {secret.Source}: invalid compose project");
            }

            foreach (var config in service.Configs.Where(c => !project.Configs.ContainsKey(c.Source)))
            {
                throw ComposeException.At(WhereEntry(service.Name, "configs", config.Source), $"services.{service.Name}.configs", $"service \"{service.Name}\" refers to undefined config {config.Source}: invalid compose project");
            }
        }

        // depends_on cycles: a depth-first walk with a path stack.
        var byName = project.Services.Concat(project.DisabledServices).ToDictionary(s => s.Name, StringComparer.Ordinal);
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var service in project.Services)
        {
            Visit(service.Name, []);
        }

        void Visit(string name, List<string> stack)
        {
            if (state.GetValueOrDefault(name) == 2 || !byName.TryGetValue(name, out var service))
            {
                return;
            }

            if (state.GetValueOrDefault(name) == 1)
            {
                var cycle = stack.SkipWhile(s => s != name).Append(name);
                throw ComposeException.At(WhereKey(name, "depends_on"), $"services.{name}.depends_on", "dependency cycle detected: " + string.Join(" -> ", cycle));
            }

            state[name] = 1;
            stack.Add(name);
            foreach (var dependency in service.DependsOn.Keys)
            {
                Visit(dependency, stack);
            }

            stack.RemoveAt(stack.Count - 1);
            state[name] = 2;
        }
    }
}
