using Wharf.Compose.Model;
using Wharf.Compose.Yaml;
using static Wharf.Compose.Loading.NodeRead;

namespace Wharf.Compose.Loading;

/// <summary>Finds, reads, interpolates, merges (-f files, extends) and validates a project. Every problem
/// is raised here, before any engine object is created.</summary>
public sealed class ComposeLoader
{
    public static readonly string[] DefaultFileNames = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];

    private static readonly HashSet<string> TopKeys = new(StringComparer.Ordinal) { "version", "name", "services", "networks", "volumes", "secrets", "configs" };
    private static readonly HashSet<string> NetworkKeys = new(StringComparer.Ordinal) { "name", "driver", "driver_opts", "external", "internal", "attachable", "enable_ipv6", "enable_ipv4", "labels", "ipam" };
    private static readonly HashSet<string> VolumeKeys = new(StringComparer.Ordinal) { "name", "driver", "driver_opts", "external", "labels" };
    private static readonly HashSet<string> FileObjectKeys = new(StringComparer.Ordinal) { "name", "file", "environment", "content", "external", "labels", "driver", "template_driver" };

    public ComposeProject Load(LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // As in Compose, COMPOSE_* settings may come from the .env file too: the one of the project directory
        // (or current directory) is read first to find the files, then the one beside the files.
        var envFiles = options.EnvFiles.Count > 0
            ? options.EnvFiles
            : (options.Environment("COMPOSE_ENV_FILES") is { Length: > 0 } listed ? [.. listed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : []);
        var baseDir = Path.GetFullPath(options.ProjectDirectory ?? options.CurrentDirectory, options.CurrentDirectory);
        var early = Variables(options, envFiles, baseDir);
        var files = ResolveFiles(options, early);
        var workingDir = Path.GetFullPath(options.ProjectDirectory ?? (files[0] == "-" ? options.CurrentDirectory : Path.GetDirectoryName(files[0])!), options.CurrentDirectory);
        var variables = workingDir == baseDir ? early : Variables(options, envFiles, workingDir);
        var warnings = new List<string>();
        var interpolator = new Interpolator(variables, name => warnings.Add($"The \"{name}\" variable is not set. Defaulting to a blank string."));

        MapNode? root = null;
        foreach (var file in files)
        {
            var node = ReadFile(file, options, interpolator);
            // Included projects join each file before the files merge, as in compose-go.
            IncludeResolver.Apply(node, workingDir, variables, file == "-" ? [] : [file]);
            root = root is null ? node : NodeMerger.MergeProjects(root, node);
        }

        NodeMerger.NormaliseServices(root!);
        Keys(root!, "", TopKeys);
        ResolveExtends(root!, interpolator, workingDir);
        NodeMerger.RemoveResets(root!);

        var project = new ComposeProject { WorkingDir = workingDir };
        project.Warnings.AddRange(warnings);
        project.ConfigFiles.AddRange(files);
        project.Name = ResolveName(options, variables, root!, workingDir);

        var mapper = new ServiceMapper(workingDir, variables);
        var profiles = new HashSet<string>(options.Profiles, StringComparer.Ordinal);
        foreach (var p in (variables("COMPOSE_PROFILES") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            profiles.Add(p);
        }

        if (root!.Get("services") is { } services && services is not ScalarNode { IsNull: true })
        {
            foreach (var (name, node) in Map(services, "services").Entries)
            {
                var service = mapper.Map(name, node);
                var enabled = service.Profiles.Count == 0 || service.Profiles.Any(profiles.Contains) || profiles.Contains("*")
                    || options.ExplicitServices.Contains(name);
                (enabled ? project.Services : project.DisabledServices).Add(service);
            }
        }

        MapNetworks(project, root);
        MapVolumes(project, root);
        MapFileObjects(project.Secrets, root, "secrets", workingDir, project.Name, variables);
        MapFileObjects(project.Configs, root, "configs", workingDir, project.Name, variables);
        EnableDependencies(project);
        ProjectValidator.Validate(project, root);
        return project;
    }

    private static List<string> ResolveFiles(LoadOptions options, Func<string, string?> variables)
    {
        var given = options.Files.Count > 0
            ? options.Files
            : (variables("COMPOSE_FILE") is { Length: > 0 } fromEnv
                ? fromEnv.Split(variables("COMPOSE_PATH_SEPARATOR") ?? ":", StringSplitOptions.RemoveEmptyEntries).ToList()
                : []);
        if (given.Count > 0)
        {
            return given.Select(f => f == "-" ? f : Path.GetFullPath(f, options.CurrentDirectory)).ToList();
        }

        // Like Compose: look in the working directory, then its parents.
        var baseDir = options.ProjectDirectory is null ? options.CurrentDirectory : Path.GetFullPath(options.ProjectDirectory, options.CurrentDirectory);
        for (var dir = baseDir; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            foreach (var name in DefaultFileNames)
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    var files = new List<string> { candidate };
                    var overrideFile = Path.Combine(dir, Path.GetFileNameWithoutExtension(name) + ".override" + Path.GetExtension(name));
                    if (File.Exists(overrideFile))
                    {
                        files.Add(overrideFile);
                    }

                    return files;
                }
            }
        }

        throw new ComposeException("no configuration file provided: not found");
    }

    /// <summary>The shell's variables over those of the env files (--env-file or COMPOSE_ENV_FILES, else the
    /// optional .env of <paramref name="workingDir"/>).</summary>
    private static Func<string, string?> Variables(LoadOptions options, List<string> explicitFiles, string workingDir)
    {
        var fromFiles = new Dictionary<string, string?>(StringComparer.Ordinal);
        var envFiles = explicitFiles.Count > 0
            ? explicitFiles.Select(f => Path.GetFullPath(f, options.CurrentDirectory)).ToList()
            : [Path.Combine(workingDir, ".env")];
        foreach (var file in envFiles)
        {
            if (!File.Exists(file))
            {
                if (explicitFiles.Count > 0)
                {
                    throw new ComposeException($"couldn't find env file: {file}");
                }

                continue;
            }

            // Values may refer to the shell's variables and to those of earlier env files.
            foreach (var (k, v) in EnvFile.Parse(File.ReadAllText(file), file, name => options.Environment(name) ?? fromFiles.GetValueOrDefault(name)))
            {
                fromFiles[k] = v;
            }
        }

        // The shell's environment wins over .env, as in Compose.
        return name => options.Environment(name) ?? fromFiles.GetValueOrDefault(name);
    }

    private static MapNode ReadFile(string file, LoadOptions options, Interpolator interpolator)
    {
        string text;
        if (file == "-")
        {
            text = options.ReadStdin?.Invoke() ?? Console.In.ReadToEnd();
        }
        else if (!File.Exists(file))
        {
            throw new ComposeException($"open {file}: no such file or directory");
        }
        else
        {
            text = File.ReadAllText(file);
        }

        var display = file == "-" ? "(stdin)" : file;
        var node = YamlReader.Read(text, display);
        if (node is not MapNode map)
        {
            throw ComposeException.At(node, "(root)", "top-level object must be a mapping");
        }

        interpolator.Apply(map, "");
        return map;
    }

    private static string ResolveName(LoadOptions options, Func<string, string?> variables, MapNode root, string workingDir)
    {
        if (!string.IsNullOrEmpty(options.ProjectName))
        {
            return ProjectName.Validate(options.ProjectName, "-p");
        }

        if (variables("COMPOSE_PROJECT_NAME") is { Length: > 0 } fromEnv)
        {
            return ProjectName.Validate(fromEnv, "COMPOSE_PROJECT_NAME");
        }

        if (root.Get("name") is ScalarNode { IsNull: false } name)
        {
            return ProjectName.Validate(name.Value, "name");
        }

        var fromDir = ProjectName.Normalise(Path.GetFileName(workingDir.TrimEnd('/')));
        return fromDir.Length > 0 ? fromDir : throw new ComposeException($"project name must not be empty (directory {workingDir})");
    }

    private static void ResolveExtends(MapNode root, Interpolator interpolator, string workingDir)
    {
        if (root.Get("services") is not MapNode services)
        {
            return;
        }

        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in services.Keys.ToList())
        {
            services.Set(name, Extend(services, name, interpolator, workingDir, done, []));
        }
    }

    private static Node Extend(MapNode services, string name, Interpolator interpolator, string workingDir, HashSet<string> done, List<string> chain)
    {
        var node = services.Get(name)!;
        if (done.Contains(name) || node is not MapNode service || service.Get("extends") is not { } extends)
        {
            return node;
        }

        if (chain.Contains(name))
        {
            throw ComposeException.At(extends, $"services.{name}.extends", "circular reference: " + string.Join(" -> ", chain.Append(name)));
        }

        chain.Add(name);
        string baseName;
        string? file = null;
        if (extends is ScalarNode s)
        {
            baseName = s.Value;
        }
        else
        {
            var map = Map(extends, $"services.{name}.extends");
            Keys(map, $"services.{name}.extends", new HashSet<string>(StringComparer.Ordinal) { "service", "file" });
            baseName = Str(map.Get("service") ?? throw ComposeException.At(extends, $"services.{name}.extends", "service is required"), $"services.{name}.extends.service");
            file = map.Get("file") is { } f ? Str(f, $"services.{name}.extends.file") : null;
        }

        MapNode baseService;
        if (file is null)
        {
            if (services.Get(baseName) is null)
            {
                throw ComposeException.At(extends, $"services.{name}.extends", $"service \"{baseName}\" not found");
            }

            baseService = Map(Extend(services, baseName, interpolator, workingDir, done, chain), $"services.{baseName}");
        }
        else
        {
            var path = Path.GetFullPath(file, workingDir);
            if (!File.Exists(path))
            {
                throw ComposeException.At(extends, $"services.{name}.extends.file", $"file {path} not found");
            }

            var other = YamlReader.Read(File.ReadAllText(path), path) as MapNode ?? throw new ComposeException($"{path}: top-level object must be a mapping");
            interpolator.Apply(other, "");
            NodeMerger.NormaliseServices(other);
            var otherServices = other.Get("services") as MapNode;
            if (otherServices?.Get(baseName) is null)
            {
                throw ComposeException.At(extends, $"services.{name}.extends", $"service \"{baseName}\" not found in {path}");
            }

            baseService = Map(Extend(otherServices, baseName, interpolator, Path.GetDirectoryName(path)!, [], chain), $"services.{baseName}");
        }

        var own = (MapNode)service.Clone();
        own.Remove("extends");
        var baseCopy = (MapNode)baseService.Clone();
        // depends_on is not inherited through extends (the spec lists it among the excluded keys).
        baseCopy.Remove("depends_on");
        var merged = NodeMerger.MergeServices(baseCopy, own);
        chain.Remove(name);
        done.Add(name);
        services.Set(name, merged);
        return merged;
    }

    private static void MapNetworks(ComposeProject project, MapNode root)
    {
        if (root.Get("networks") is { } networks && networks is not ScalarNode { IsNull: true })
        {
            foreach (var (key, value) in Map(networks, "networks").Entries)
            {
                var path = "networks." + key;
                var network = new NetworkConfig { Name = $"{project.Name}_{key}" };
                if (value is MapNode map)
                {
                    Keys(map, path, NetworkKeys);
                    var external = map.Get("external") is { } ext && ExternalFlag(ext, path + ".external", out _);
                    network.External = external;
                    if (map.Get("external") is MapNode { } extMap && extMap.Get("name") is { } extName)
                    {
                        network.Name = Str(extName, path + ".external.name");
                    }
                    else if (map.Get("name") is { } name)
                    {
                        network.Name = Str(name, path + ".name");
                    }
                    else if (external)
                    {
                        network.Name = key;
                    }

                    network.Driver = map.Get("driver") is { } d ? OptStr(d, path + ".driver") : null;
                    network.Internal = map.Get("internal") is { } i && Bool(i, path + ".internal");
                    network.Attachable = map.Get("attachable") is { } a && Bool(a, path + ".attachable");
                    network.EnableIpv6 = map.Get("enable_ipv6") is { } v6 ? Bool(v6, path + ".enable_ipv6") : null;
                    CopyMap(map.Get("driver_opts"), network.DriverOpts, path + ".driver_opts");
                    CopyMap(map.Get("labels"), network.Labels, path + ".labels");
                    if (map.Get("ipam") is MapNode ipam)
                    {
                        Keys(ipam, path + ".ipam", new HashSet<string>(StringComparer.Ordinal) { "driver", "config", "options" });
                        network.IpamDriver = ipam.Get("driver") is { } idrv ? Str(idrv, path + ".ipam.driver") : null;
                        if (ipam.Get("config") is SeqNode pools)
                        {
                            foreach (var pool in pools.Items)
                            {
                                var p = Map(pool, path + ".ipam.config");
                                Keys(p, path + ".ipam.config", new HashSet<string>(StringComparer.Ordinal) { "subnet", "gateway", "ip_range", "aux_addresses" });
                                network.IpamConfig.Add(new IpamPool(
                                    p.Get("subnet") is { } sn ? Str(sn, path + ".ipam.config.subnet") : null,
                                    p.Get("gateway") is { } gw ? Str(gw, path + ".ipam.config.gateway") : null,
                                    p.Get("ip_range") is { } ir ? Str(ir, path + ".ipam.config.ip_range") : null));
                            }
                        }
                    }
                }
                else if (value is not ScalarNode { IsNull: true })
                {
                    throw ComposeException.At(value, path, $"must be a mapping, not {value.Kind}");
                }

                project.Networks[key] = network;
            }
        }

        if (!project.Networks.ContainsKey("default") && project.Services.Any(s => s.Networks.ContainsKey("default")))
        {
            project.Networks["default"] = new NetworkConfig { Name = $"{project.Name}_default" };
        }
    }

    private static void MapVolumes(ComposeProject project, MapNode root)
    {
        if (root.Get("volumes") is not { } volumes || volumes is ScalarNode { IsNull: true })
        {
            return;
        }

        foreach (var (key, value) in Map(volumes, "volumes").Entries)
        {
            var path = "volumes." + key;
            var volume = new VolumeConfig { Name = $"{project.Name}_{key}" };
            if (value is MapNode map)
            {
                Keys(map, path, VolumeKeys);
                volume.External = map.Get("external") is { } ext && ExternalFlag(ext, path + ".external", out _);
                if (map.Get("external") is MapNode { } extMap && extMap.Get("name") is { } extName)
                {
                    volume.Name = Str(extName, path + ".external.name");
                }
                else if (map.Get("name") is { } name)
                {
                    volume.Name = Str(name, path + ".name");
                }
                else if (volume.External)
                {
                    volume.Name = key;
                }

                volume.Driver = map.Get("driver") is { } d ? OptStr(d, path + ".driver") : null;
                CopyMap(map.Get("driver_opts"), volume.DriverOpts, path + ".driver_opts");
                CopyMap(map.Get("labels"), volume.Labels, path + ".labels");
            }
            else if (value is not ScalarNode { IsNull: true })
            {
                throw ComposeException.At(value, path, $"must be a mapping, not {value.Kind}");
            }

            project.Volumes[key] = volume;
        }
    }

    private static void MapFileObjects(SortedDictionary<string, FileObjectConfig> target, MapNode root, string section, string workingDir, string projectName, Func<string, string?> variables)
    {
        if (root.Get(section) is not { } objects || objects is ScalarNode { IsNull: true })
        {
            return;
        }

        foreach (var (key, value) in Map(objects, section).Entries)
        {
            var path = section + "." + key;
            var map = Map(value, path);
            Keys(map, path, FileObjectKeys);
            var item = new FileObjectConfig { Name = $"{projectName}_{key}" };
            item.External = map.Get("external") is { } ext && ExternalFlag(ext, path + ".external", out _);
            if (map.Get("name") is { } name)
            {
                item.Name = Str(name, path + ".name");
            }

            if (map.Get("file") is { } file)
            {
                item.File = Path.GetFullPath(Str(file, path + ".file"), workingDir);
                if (!File.Exists(item.File) && !Directory.Exists(item.File))
                {
                    throw ComposeException.At(file, path + ".file", $"file {item.File} not found");
                }
            }

            item.Environment = map.Get("environment") is { } env ? Str(env, path + ".environment") : null;
            item.EnvironmentValue = item.Environment is { } variable ? variables(variable) : null;
            item.Content = map.Get("content") is { } content ? Str(content, path + ".content") : null;
            if (item.File is null && item.Environment is null && item.Content is null && !item.External)
            {
                throw ComposeException.At(value, path, "needs one of file, environment, content or external");
            }

            target[key] = item;
        }
    }

    private static bool ExternalFlag(Node node, string path, out string? name)
    {
        name = null;
        if (node is MapNode map)
        {
            // The old form "external: {name: x}".
            name = map.Get("name") is { } n ? Str(n, path + ".name") : null;
            return true;
        }

        return Bool(node, path);
    }

    private static void CopyMap(Node? node, SortedDictionary<string, string> target, string path)
    {
        if (node is null || node is ScalarNode { IsNull: true })
        {
            return;
        }

        foreach (var (k, v) in StrMap(node, path))
        {
            target[k] = v ?? "";
        }
    }

    /// <summary>A service that an enabled service depends on is enabled too (Compose's profile rule).</summary>
    private static void EnableDependencies(ComposeProject project)
    {
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var service in project.Services.ToList())
            {
                foreach (var dependency in service.DependsOn.Keys)
                {
                    var disabled = project.DisabledServices.FirstOrDefault(s => s.Name == dependency);
                    if (disabled is not null && service.DependsOn[dependency].Required)
                    {
                        project.DisabledServices.Remove(disabled);
                        project.Services.Add(disabled);
                        changed = true;
                    }
                }
            }
        }
    }
}
