using Wharf.Compose.Model;
using Wharf.Compose.Yaml;

namespace Wharf.Compose.Loading;

/// <summary>Cross-references: depends_on targets and cycles, networks, volumes, secrets and configs that a
/// service uses must be declared. Errors name the line of the service that refers to them.</summary>
internal static class ProjectValidator
{
    public static void Validate(ComposeProject project, MapNode root)
    {
        var services = root.Get("services") as MapNode;
        Node Where(string service) => services?.Get(service) ?? root;

        var all = project.Services.Concat(project.DisabledServices).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var service in project.Services)
        {
            // Before depends_on: a "service:x" mode is also an implicit depends_on, and the key it was written
            // under says more than "depends on undefined service".
            foreach (var (key, mode) in new[] { ("network_mode", service.NetworkMode), ("ipc", service.Ipc), ("pid", service.Pid), ("uts", service.Uts) })
            {
                if (SharedNamespace.ServiceOf(mode) is { } shared && !all.Contains(shared))
                {
                    var at = (Where(service.Name) as MapNode)?.Get(key) ?? Where(service.Name);
                    throw ComposeException.At(at, $"services.{service.Name}.{key}", $"service \"{shared}\" not found");
                }
            }

            foreach (var (dependency, spec) in service.DependsOn)
            {
                if (!all.Contains(dependency) && spec.Required)
                {
                    throw ComposeException.At(Where(service.Name), $"services.{service.Name}.depends_on", $"service \"{service.Name}\" depends on undefined service \"{dependency}\"");
                }
            }

            foreach (var network in service.Networks.Keys)
            {
                if (!project.Networks.ContainsKey(network))
                {
                    throw ComposeException.At(Where(service.Name), $"services.{service.Name}.networks", $"service \"{service.Name}\" refers to undefined network {network}: invalid compose project");
                }
            }

            foreach (var volume in service.Volumes.Where(v => v.Type == "volume" && v.Source is not null))
            {
                if (!project.Volumes.ContainsKey(volume.Source!))
                {
                    throw ComposeException.At(Where(service.Name), $"services.{service.Name}.volumes", $"service \"{service.Name}\" refers to undefined volume {volume.Source}: invalid compose project");
                }
            }

            foreach (var secret in service.Secrets.Where(s => !project.Secrets.ContainsKey(s.Source)))
            {
                throw ComposeException.At(Where(service.Name), $"services.{service.Name}.secrets", $"service \"{service.Name}\" refers to undefined secret {secret.Source}: invalid compose project");
            }

            foreach (var config in service.Configs.Where(c => !project.Configs.ContainsKey(c.Source)))
            {
                throw ComposeException.At(Where(service.Name), $"services.{service.Name}.configs", $"service \"{service.Name}\" refers to undefined config {config.Source}: invalid compose project");
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
                throw ComposeException.At(Where(name), $"services.{name}.depends_on", "dependency cycle detected: " + string.Join(" -> ", cycle));
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
