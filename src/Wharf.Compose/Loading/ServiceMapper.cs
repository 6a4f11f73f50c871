using System.Globalization;
using Wharf.Compose.Model;
using Wharf.Compose.Yaml;
using static Wharf.Compose.Loading.NodeRead;

namespace Wharf.Compose.Loading;

/// <summary>Maps one service node (already merged and interpolated) to <see cref="ServiceConfig"/>,
/// rejecting unknown keys and wrong types with the file and line.</summary>
internal sealed class ServiceMapper
{
    private static readonly HashSet<string> ServiceKeys = new(StringComparer.Ordinal)
    {
        "build", "cap_add", "cap_drop", "command", "configs", "container_name", "depends_on", "deploy", "dns", "dns_search",
        "domainname", "entrypoint", "env_file", "environment", "expose", "extends", "extra_hosts", "healthcheck", "hostname",
        "image", "init", "labels", "logging", "network_mode", "networks", "platform", "ports", "privileged", "profiles",
        "pull_policy", "read_only", "restart", "secrets", "shm_size", "stdin_open", "stop_grace_period", "stop_signal",
        "sysctls", "tmpfs", "tty", "ulimits", "user", "volumes", "working_dir", "mem_limit", "cpus", "pids_limit", "scale",
        "ipc", "pid", "userns_mode", "uts", "runtime", "cgroup_parent", "cgroup", "isolation", "cpuset", "mac_address",
        "cpu_shares", "cpu_quota", "cpu_period", "oom_score_adj", "mem_reservation", "memswap_limit", "oom_kill_disable",
        "security_opt", "group_add", "dns_opt", "device_cgroup_rules", "devices", "annotations", "storage_opt", "attach",
        "links", "external_links", "volumes_from",
    };

    private static readonly HashSet<string> BuildKeys = new(StringComparer.Ordinal) { "context", "dockerfile", "args", "target", "labels", "network", "cache_from", "pull", "no_cache" };
    private static readonly HashSet<string> HealthKeys = new(StringComparer.Ordinal) { "test", "interval", "timeout", "retries", "start_period", "start_interval", "disable" };
    private static readonly HashSet<string> DeployKeys = new(StringComparer.Ordinal) { "mode", "replicas", "resources", "restart_policy", "labels", "placement", "update_config", "rollback_config", "endpoint_mode" };
    private static readonly HashSet<string> ResourceKeys = new(StringComparer.Ordinal) { "limits", "reservations" };
    private static readonly HashSet<string> LimitKeys = new(StringComparer.Ordinal) { "cpus", "memory", "pids", "devices", "generic_resources" };
    private static readonly HashSet<string> PortKeys = new(StringComparer.Ordinal) { "target", "published", "host_ip", "protocol", "mode", "name", "app_protocol" };
    private static readonly HashSet<string> VolumeKeys = new(StringComparer.Ordinal) { "type", "source", "target", "read_only", "bind", "volume", "tmpfs", "consistency" };
    private static readonly HashSet<string> ServiceNetworkKeys = new(StringComparer.Ordinal) { "aliases", "ipv4_address", "ipv6_address", "priority", "link_local_ips", "mac_address" };
    private static readonly HashSet<string> DependsKeys = new(StringComparer.Ordinal) { "condition", "restart", "required" };
    private static readonly HashSet<string> LoggingKeys = new(StringComparer.Ordinal) { "driver", "options" };
    private static readonly HashSet<string> ReferenceKeys = new(StringComparer.Ordinal) { "source", "target", "uid", "gid", "mode" };

    private readonly string _workingDir;
    private readonly Func<string, string?> _variables;

    public ServiceMapper(string workingDir, Func<string, string?> variables)
    {
        _workingDir = workingDir;
        _variables = variables;
    }

    public ServiceConfig Map(string name, Node node)
    {
        var path = "services." + name;
        var map = NodeRead.Map(node, path);
        Keys(map, path, ServiceKeys);
        var service = new ServiceConfig { Name = name };
        foreach (var (key, value) in map.Entries)
        {
            var at = path + "." + key;
            if (value is ScalarNode { IsNull: true } && key is not ("depends_on" or "networks"))
            {
                continue;
            }

            switch (key)
            {
                case "image": service.Image = Str(value, at); break;
                case "build": service.Build = MapBuild(value, at); break;
                case "command": service.Command = CommandLine(value, at); break;
                case "entrypoint": service.Entrypoint = CommandLine(value, at); break;
                case "environment": break; // after env_file, below
                case "env_file": break;
                case "ports": MapPorts(service, value, at); break;
                case "expose": service.Expose.AddRange(ListOf(value, at)); break;
                case "volumes": MapVolumes(service, value, at); break;
                case "networks": MapNetworks(service, value, at); break;
                case "network_mode": service.NetworkMode = Str(value, at); break;
                case "depends_on": MapDependsOn(service, value, at); break;
                case "healthcheck": service.Healthcheck = MapHealthcheck(value, at); break;
                case "restart": service.Restart = Str(value, at); break;
                case "deploy": MapDeploy(service, value, at); break;
                case "scale": service.Replicas = Int(value, at); break;
                case "mem_limit": service.MemoryLimit = service.TopLevelMemLimit = Bytes(value, at); break;
                case "cpus": service.CpuLimit = service.TopLevelCpus = Double(value, at); break;
                case "pids_limit": service.PidsLimit = service.TopLevelPidsLimit = Long(value, at); break;
                case "user": service.User = Str(value, at); break;
                case "working_dir": service.WorkingDir = Str(value, at); break;
                case "labels": AddAll(service.Labels, value, at); break;
                case "logging": service.Logging = MapLogging(value, at); break;
                case "cap_add": service.CapAdd.AddRange(ListOf(value, at)); break;
                case "cap_drop": service.CapDrop.AddRange(ListOf(value, at)); break;
                case "privileged": service.Privileged = Bool(value, at); break;
                case "extra_hosts":
                    foreach (var (host, ip) in StrMap(value, at))
                    {
                        service.ExtraHosts.Add($"{host}:{ip}");
                    }

                    break;
                case "dns": service.Dns.AddRange(StrList(value, at)); break;
                case "dns_search": service.DnsSearch.AddRange(StrList(value, at)); break;
                case "ulimits": MapUlimits(service, value, at); break;
                case "sysctls": AddAll(service.Sysctls, value, at); break;
                case "init": service.Init = Bool(value, at); break;
                case "stop_signal": service.StopSignal = Str(value, at); break;
                case "stop_grace_period": service.StopGracePeriod = Duration(value, at); break;
                case "profiles": service.Profiles.AddRange(ListOf(value, at)); break;
                case "pull_policy": service.PullPolicy = PullPolicy(value, at); break;
                case "container_name": service.ContainerName = Str(value, at); break;
                case "hostname": service.Hostname = Str(value, at); break;
                case "domainname": service.Domainname = Str(value, at); break;
                case "tty": service.Tty = Bool(value, at); break;
                case "stdin_open": service.StdinOpen = Bool(value, at); break;
                case "read_only": service.ReadOnly = Bool(value, at); break;
                case "tmpfs": service.Tmpfs.AddRange(StrList(value, at)); break;
                case "secrets": service.Secrets.AddRange(MapReferences(value, at, "/run/secrets/")); break;
                case "configs": service.Configs.AddRange(MapReferences(value, at, "/")); break;
                case "platform": service.Platform = Str(value, at); break;
                case "shm_size": service.ShmSize = Bytes(value, at); break;
                case "extends": break; // resolved by the loader before mapping
                case "ipc": service.Ipc = Str(value, at); break;
                case "pid": service.Pid = Str(value, at); break;
                case "userns_mode": service.UsernsMode = Str(value, at); break;
                case "uts": service.Uts = Str(value, at); break;
                case "runtime": service.Runtime = Str(value, at); break;
                case "cgroup_parent": service.CgroupParent = Str(value, at); break;
                case "cgroup": service.Cgroup = Cgroup(value, at); break;
                case "isolation": service.Isolation = Str(value, at); break;
                case "cpuset": service.Cpuset = Str(value, at); break;
                case "mac_address": service.MacAddress = Str(value, at); break;
                case "cpu_shares": service.CpuShares = Long(value, at); break;
                case "cpu_quota": service.CpuQuota = Long(value, at); break;
                case "cpu_period": service.CpuPeriod = Long(value, at); break;
                case "oom_score_adj": service.OomScoreAdj = Long(value, at); break;
                case "mem_reservation": service.MemReservation = Bytes(value, at); break;
                case "memswap_limit": service.MemswapLimit = Bytes(value, at); break;
                case "oom_kill_disable": service.OomKillDisable = Bool(value, at); break;
                case "security_opt": service.SecurityOpt.AddRange(ListOf(value, at)); break;
                case "group_add": service.GroupAdd.AddRange(ListOf(value, at)); break;
                case "dns_opt": service.DnsOpt.AddRange(ListOf(value, at)); break;
                case "device_cgroup_rules": service.DeviceCgroupRules.AddRange(ListOf(value, at)); break;
                case "devices": MapDevices(service, value, at); break;
                case "annotations": AddAll(service.Annotations, value, at); break;
                case "storage_opt": AddAll(service.StorageOpt, value, at); break;
                case "attach": service.Attach = Bool(value, at); break;
                case "links": service.Links.AddRange(ListOf(value, at)); break;
                case "external_links": service.ExternalLinks.AddRange(ListOf(value, at)); break;
                case "volumes_from": MapVolumesFrom(service, value, at); break;
            }
        }

        AddImplicitDependencies(service);

        MapEnvironment(service, map, path);
        if (service.Image is null && service.Build is null)
        {
            throw ComposeException.At(node, path, "has neither an image nor a build context specified");
        }

        if (service.NetworkMode is null && service.Networks.Count == 0)
        {
            service.Networks["default"] = new ServiceNetwork();
        }

        return service;
    }

    private static string PullPolicy(Node value, string at)
    {
        var text = Str(value, at);
        return text is "always" or "never" or "missing" or "if_not_present" or "build" or "daily" or "weekly" || text.StartsWith("every_", StringComparison.Ordinal)
            ? text
            : throw ComposeException.At(value, at, $"invalid pull_policy \"{text}\"");
    }

    private static List<string> ListOf(Node value, string at) =>
        value is SeqNode seq ? seq.Items.Select((item, i) => Str(item, $"{at}[{i}]")).ToList() : throw ComposeException.At(value, at, $"must be a list, not {value.Kind}");

    private static void AddAll(SortedDictionary<string, string> target, Node value, string at)
    {
        foreach (var (k, v) in StrMap(value, at))
        {
            target[k] = v ?? "";
        }
    }

    private void MapEnvironment(ServiceConfig service, MapNode map, string path)
    {
        if (map.Get("env_file") is { } envFiles && envFiles is not ScalarNode { IsNull: true })
        {
            var items = envFiles is SeqNode seq ? seq.Items : [envFiles];
            foreach (var item in items)
            {
                var required = true;
                string file;
                if (item is MapNode long_)
                {
                    Keys(long_, path + ".env_file", new HashSet<string>(StringComparer.Ordinal) { "path", "required", "format" });
                    file = Str(long_.Get("path") ?? throw ComposeException.At(item, path + ".env_file", "path is required"), path + ".env_file.path");
                    required = long_.Get("required") is not { } r || Bool(r, path + ".env_file.required");
                }
                else
                {
                    file = Str(item, path + ".env_file");
                }

                var full = Path.GetFullPath(file, _workingDir);
                if (!File.Exists(full))
                {
                    if (required)
                    {
                        throw ComposeException.At(item, path + ".env_file", $"env file {full} not found");
                    }

                    continue;
                }

                foreach (var (k, v) in EnvFile.Parse(File.ReadAllText(full), full, _variables))
                {
                    service.Environment[k] = v;
                }
            }
        }

        if (map.Get("environment") is { } env && env is not ScalarNode { IsNull: true })
        {
            foreach (var (k, v) in StrMap(env, path + ".environment"))
            {
                // A bare KEY takes its value from the shell (or .env). An unset one stays as null, hiding an
                // env_file value, as in Compose; the container gets no such variable.
                service.Environment[k] = v ?? _variables(k);
            }
        }
    }

    private BuildConfig MapBuild(Node value, string at)
    {
        if (value is ScalarNode s)
        {
            return new BuildConfig { Context = Path.GetFullPath(s.Value, _workingDir) };
        }

        var map = NodeRead.Map(value, at);
        Keys(map, at, BuildKeys);
        var build = new BuildConfig();
        foreach (var (key, v) in map.Entries)
        {
            switch (key)
            {
                case "context": build.Context = Str(v, at + ".context"); break;
                case "dockerfile": build.Dockerfile = Str(v, at + ".dockerfile"); break;
                case "target": build.Target = Str(v, at + ".target"); break;
                case "args":
                    foreach (var (k, a) in StrMap(v, at + ".args"))
                    {
                        build.Args[k] = a ?? _variables(k);
                    }

                    break;
                case "labels":
                    foreach (var (k, l) in StrMap(v, at + ".labels"))
                    {
                        build.Labels[k] = l ?? "";
                    }

                    break;
            }
        }

        if (!build.Context.Contains("://", StringComparison.Ordinal))
        {
            build.Context = Path.GetFullPath(build.Context, _workingDir);
        }

        return build;
    }

    private static void MapPorts(ServiceConfig service, Node value, string at)
    {
        var seq = value as SeqNode ?? throw ComposeException.At(value, at, $"must be a list, not {value.Kind}");
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            var itemPath = $"{at}[{i}]";
            if (item is MapNode map)
            {
                Keys(map, itemPath, PortKeys);
                var target = map.Get("target") ?? throw ComposeException.At(item, itemPath, "target is required");
                service.Ports.Add(new PortConfig(
                    Int(target, itemPath + ".target"),
                    map.Get("published") is { } p ? OptStr(p, itemPath + ".published") : null,
                    map.Get("host_ip") is { } ip ? OptStr(ip, itemPath + ".host_ip") : null,
                    map.Get("protocol") is { } proto ? Str(proto, itemPath + ".protocol") : "tcp",
                    map.Get("mode") is { } mode ? Str(mode, itemPath + ".mode") : "ingress",
                    map.Get("name") is { } name ? Str(name, itemPath + ".name") : null));
            }
            else
            {
                service.Ports.AddRange(PortSyntax.Parse(Str(item, itemPath), item, itemPath));
            }
        }
    }

    private void MapVolumes(ServiceConfig service, Node value, string at)
    {
        var seq = value as SeqNode ?? throw ComposeException.At(value, at, $"must be a list, not {value.Kind}");
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            var itemPath = $"{at}[{i}]";
            if (item is MapNode map)
            {
                Keys(map, itemPath, VolumeKeys);
                var type = map.Get("type") is { } t ? Str(t, itemPath + ".type") : "volume";
                var target = Str(map.Get("target") ?? throw ComposeException.At(item, itemPath, "target is required"), itemPath + ".target");
                var source = map.Get("source") is { } s ? OptStr(s, itemPath + ".source") : null;
                if (type is not ("volume" or "bind" or "tmpfs"))
                {
                    throw ComposeException.At(item, itemPath + ".type", $"unsupported volume type \"{type}\"");
                }

                if (type == "bind")
                {
                    source = HostPath(source ?? throw ComposeException.At(item, itemPath, "a bind mount needs a source"));
                }

                var bind = map.Get("bind") as MapNode;
                var volume = map.Get("volume") as MapNode;
                var tmpfs = map.Get("tmpfs") as MapNode;
                service.Volumes.Add(new ServiceVolume(type, source, target, map.Get("read_only") is { } ro && Bool(ro, itemPath + ".read_only"))
                {
                    CreateHostPath = bind?.Get("create_host_path") is not { } c || Bool(c, itemPath + ".bind.create_host_path"),
                    Propagation = bind?.Get("propagation") is { } prop ? Str(prop, itemPath + ".bind.propagation") : null,
                    SELinux = bind?.Get("selinux") is { } se ? Str(se, itemPath + ".bind.selinux") : null,
                    NoCopy = volume?.Get("nocopy") is { } nc && Bool(nc, itemPath + ".volume.nocopy"),
                    TmpfsSize = tmpfs?.Get("size") is { } size ? Bytes(size, itemPath + ".tmpfs.size") : null,
                    BindSection = bind is not null,
                    BindCreateHostPathDeclared = bind?.Get("create_host_path") is { } declared && Bool(declared, itemPath + ".bind.create_host_path"),
                    VolumeSection = volume is not null,
                    TmpfsSection = tmpfs is not null,
                });
                continue;
            }

            var (source_, target_, mode) = ShortVolume.Split(Str(item, itemPath));
            var modes = (mode ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
            foreach (var m in modes)
            {
                if (m is not ("ro" or "rw" or "z" or "Z" or "nocopy" or "cached" or "delegated" or "consistent" or "shared" or "slave" or "private" or "rshared" or "rslave" or "rprivate"))
                {
                    throw ComposeException.At(item, itemPath, $"invalid mode \"{m}\"");
                }
            }

            // Compose's short syntax: the last of ro/rw wins; a propagation or SELinux mode makes a bind section.
            var readOnly = modes.LastOrDefault(m => m is "ro" or "rw") == "ro";
            var propagation = modes.LastOrDefault(m => m is "shared" or "slave" or "private" or "rshared" or "rslave" or "rprivate");
            var selinux = modes.LastOrDefault(m => m is "z" or "Z");
            if (source_ is null)
            {
                service.Volumes.Add(new ServiceVolume("volume", null, target_, readOnly) { VolumeSection = true, NoCopy = modes.Contains("nocopy") });
            }
            else if (source_.StartsWith('.') || source_.StartsWith('/') || source_.StartsWith('~'))
            {
                service.Volumes.Add(new ServiceVolume("bind", HostPath(source_), target_, readOnly)
                {
                    Propagation = propagation,
                    SELinux = selinux,
                    BindSection = true,
                    BindCreateHostPathDeclared = true,
                    VolumeSection = modes.Contains("nocopy"),
                    NoCopy = modes.Contains("nocopy"),
                });
            }
            else
            {
                service.Volumes.Add(new ServiceVolume("volume", source_, target_, readOnly)
                {
                    NoCopy = modes.Contains("nocopy"),
                    VolumeSection = true,
                    BindSection = propagation is not null || selinux is not null,
                    Propagation = propagation,
                    SELinux = selinux,
                });
            }
        }
    }

    private string HostPath(string source)
    {
        if (source.StartsWith('~'))
        {
            source = (_variables("HOME") ?? "/root") + source[1..];
        }

        return Path.GetFullPath(source, _workingDir);
    }

    private static void MapNetworks(ServiceConfig service, Node value, string at)
    {
        var map = NodeRead.Map(value, at);
        foreach (var (name, v) in map.Entries)
        {
            var network = new ServiceNetwork();
            if (v is MapNode details)
            {
                var p = at + "." + name;
                Keys(details, p, ServiceNetworkKeys);
                network.HasSettings = true;
                if (details.Get("aliases") is { } aliases)
                {
                    network.Aliases.AddRange(StrList(aliases, p + ".aliases"));
                }

                network.Ipv4Address = details.Get("ipv4_address") is { } v4 ? OptStr(v4, p + ".ipv4_address") : null;
                network.Ipv6Address = details.Get("ipv6_address") is { } v6 ? OptStr(v6, p + ".ipv6_address") : null;
                network.Priority = details.Get("priority") is { } prio ? Int(prio, p + ".priority") : 0;
            }
            else if (v is not ScalarNode { IsNull: true })
            {
                throw ComposeException.At(v, at + "." + name, "must be a mapping or null");
            }

            service.Networks[name] = network;
        }
    }

    private static void MapDependsOn(ServiceConfig service, Node value, string at)
    {
        var map = NodeRead.Map(value, at);
        foreach (var (name, v) in map.Entries)
        {
            if (v is MapNode details)
            {
                var p = at + "." + name;
                Keys(details, p, DependsKeys);
                var condition = details.Get("condition") is { } c ? Str(c, p + ".condition") : Model.DependsOn.Started;
                if (condition is not (Model.DependsOn.Started or Model.DependsOn.Healthy or Model.DependsOn.CompletedSuccessfully))
                {
                    throw ComposeException.At(details.Get("condition")!, p + ".condition", $"invalid condition \"{condition}\" (service_started, service_healthy or service_completed_successfully)");
                }

                service.DependsOn[name] = new DependsOn(
                    condition,
                    details.Get("restart") is { } r && Bool(r, p + ".restart"),
                    details.Get("required") is not { } req || Bool(req, p + ".required"));
            }
            else
            {
                service.DependsOn[name] = new DependsOn();
            }
        }
    }

    private static void MapVolumesFrom(ServiceConfig service, Node value, string at)
    {
        var items = ListOf(value, at);
        for (var i = 0; i < items.Count; i++)
        {
            if (!VolumesFromSpec.TryParse(items[i], out _))
            {
                throw ComposeException.At(((SeqNode)value).Items[i], $"{at}[{i}]", $"invalid volumes_from \"{items[i]}\" (SERVICE[:ro|rw] or container:NAME[:ro|rw])");
            }
        }

        service.VolumesFrom.AddRange(items);
    }

    /// <summary>A service named by links, a "service:x" namespace mode or volumes_from starts first, as compose-go's
    /// normalisation makes it: links and network_mode/ipc/pid/uts/cgroup "service:x" as depends_on
    /// {service_started, restart: true}, volumes_from {service_started, restart: false}; an explicit depends_on
    /// entry wins, and the first implicit one too (links, then namespaces, then volumes_from).</summary>
    private static void AddImplicitDependencies(ServiceConfig service)
    {
        foreach (var link in service.Links)
        {
            service.DependsOn.TryAdd(LinkSpec.ServiceOf(link), new DependsOn(Model.DependsOn.Started, Restart: true));
        }

        foreach (var mode in new[] { service.NetworkMode, service.Ipc, service.Pid, service.Uts, service.Cgroup })
        {
            if (SharedNamespace.ServiceOf(mode) is { } shared)
            {
                service.DependsOn.TryAdd(shared, new DependsOn(Model.DependsOn.Started, Restart: true));
            }
        }

        foreach (var from in service.VolumesFrom)
        {
            if (VolumesFromSpec.TryParse(from, out var spec) && spec.Service is { } source)
            {
                service.DependsOn.TryAdd(source, new DependsOn(Model.DependsOn.Started, Restart: false));
            }
        }
    }

    private static HealthcheckConfig MapHealthcheck(Node value, string at)
    {
        var map = NodeRead.Map(value, at);
        Keys(map, at, HealthKeys);
        var health = new HealthcheckConfig();
        foreach (var (key, v) in map.Entries)
        {
            var p = at + "." + key;
            switch (key)
            {
                case "test":
                    health.Test = v is ScalarNode s ? ["CMD-SHELL", s.Value] : StrList(v, p);
                    break;
                case "interval": health.Interval = Duration(v, p); break;
                case "timeout": health.Timeout = Duration(v, p); break;
                case "retries": health.Retries = Int(v, p); break;
                case "start_period": health.StartPeriod = Duration(v, p); break;
                case "start_interval": health.StartInterval = Duration(v, p); break;
                case "disable": health.Disable = Bool(v, p); break;
            }
        }

        if (health.Test is ["NONE", ..])
        {
            health.Disable = true;
        }

        return health;
    }

    private static void MapDeploy(ServiceConfig service, Node value, string at)
    {
        var map = NodeRead.Map(value, at);
        Keys(map, at, DeployKeys);
        var deploy = new DeploySettings
        {
            Mode = map.Get("mode") is { } mode ? OptStr(mode, at + ".mode") : null,
            EndpointMode = map.Get("endpoint_mode") is { } endpoint ? OptStr(endpoint, at + ".endpoint_mode") : null,
        };
        if (map.Get("labels") is { } labels and not ScalarNode { IsNull: true })
        {
            AddAll(deploy.Labels, labels, at + ".labels");
        }

        service.Deploy = deploy;
        if (map.Get("replicas") is { } replicas)
        {
            service.Replicas = Int(replicas, at + ".replicas");
        }

        if (map.Get("restart_policy") is MapNode restart)
        {
            var p = at + ".restart_policy";
            Keys(restart, p, new HashSet<string>(StringComparer.Ordinal) { "condition", "delay", "max_attempts", "window" });
            deploy.RestartPolicy = new DeployRestartPolicy(
                restart.Get("condition") is { } condition ? Str(condition, p + ".condition") : null,
                restart.Get("max_attempts") is { } attempts ? Long(attempts, p + ".max_attempts") : null,
                restart.Get("delay") is { } delay ? Duration(delay, p + ".delay") : null,
                restart.Get("window") is { } window ? Duration(window, p + ".window") : null);
        }

        if (map.Get("resources") is MapNode resources)
        {
            Keys(resources, at + ".resources", ResourceKeys);
            if (resources.Get("reservations") is MapNode reservations)
            {
                var p = at + ".resources.reservations";
                Keys(reservations, p, LimitKeys);
                deploy.HasReservations = true;
                deploy.ReservationsCpus = reservations.Get("cpus") is { } cpus ? Double(cpus, p + ".cpus") : null;
                deploy.ReservationsMemory = reservations.Get("memory") is { } memory ? Bytes(memory, p + ".memory") : null;
            }

            if (resources.Get("limits") is MapNode limits)
            {
                var p = at + ".resources.limits";
                Keys(limits, p, LimitKeys);
                deploy.HasLimits = true;
                if (limits.Get("memory") is { } memory)
                {
                    service.MemoryLimit = deploy.LimitsMemory = Bytes(memory, p + ".memory");
                }

                if (limits.Get("cpus") is { } cpus)
                {
                    service.CpuLimit = deploy.LimitsCpus = Double(cpus, p + ".cpus");
                }

                if (limits.Get("pids") is { } pids)
                {
                    service.PidsLimit = deploy.LimitsPids = Long(pids, p + ".pids");
                }
            }
        }
    }

    private static LoggingConfig MapLogging(Node value, string at)
    {
        var map = NodeRead.Map(value, at);
        Keys(map, at, LoggingKeys);
        var logging = new LoggingConfig { Driver = map.Get("driver") is { } d ? Str(d, at + ".driver") : null };
        if (map.Get("options") is { } options and not ScalarNode { IsNull: true })
        {
            AddAll(logging.Options, options, at + ".options");
        }

        return logging;
    }

    private static void MapUlimits(ServiceConfig service, Node value, string at)
    {
        foreach (var (name, v) in NodeRead.Map(value, at).Entries)
        {
            var p = at + "." + name;
            if (v is MapNode limits)
            {
                Keys(limits, p, new HashSet<string>(StringComparer.Ordinal) { "soft", "hard" });
                service.Ulimits[name] = new UlimitConfig(
                    Long(limits.Get("soft") ?? throw ComposeException.At(v, p, "soft is required"), p + ".soft"),
                    Long(limits.Get("hard") ?? throw ComposeException.At(v, p, "hard is required"), p + ".hard"));
            }
            else
            {
                var single = Long(v, p);
                service.Ulimits[name] = new UlimitConfig(single, single, Single: true);
            }
        }
    }

    private static IEnumerable<FileReference> MapReferences(Node value, string at, string targetPrefix)
    {
        var seq = value as SeqNode ?? throw ComposeException.At(value, at, $"must be a list, not {value.Kind}");
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            var p = $"{at}[{i}]";
            if (item is MapNode map)
            {
                Keys(map, p, ReferenceKeys);
                var source = Str(map.Get("source") ?? throw ComposeException.At(item, p, "source is required"), p + ".source");
                var given = map.Get("target") is { } t ? Str(t, p + ".target") : null;
                var target = given ?? source;
                yield return new FileReference(source, target.StartsWith('/') ? target : targetPrefix + target,
                    map.Get("mode") is { } m ? Str(m, p + ".mode") : null)
                {
                    GivenTarget = given,
                    Uid = map.Get("uid") is { } uid ? Str(uid, p + ".uid") : null,
                    Gid = map.Get("gid") is { } gid ? Str(gid, p + ".gid") : null,
                    ModeValue = map.Get("mode") is { } modeNode ? FileMode(modeNode, p + ".mode") : null,
                };
            }
            else
            {
                var source = Str(item, p);
                yield return new FileReference(source, targetPrefix + source);
            }
        }
    }

    private static string Cgroup(Node value, string at)
    {
        var text = Str(value, at);
        return text is "host" or "private" ? text : throw ComposeException.At(value, at, $"invalid cgroup \"{text}\" (host or private)");
    }

    /// <summary>compose-go's device syntax: "src[:dst[:permissions]]" (dst defaults to src, permissions to rwm) or
    /// {source, target, permissions}.</summary>
    private static void MapDevices(ServiceConfig service, Node value, string at)
    {
        var seq = value as SeqNode ?? throw ComposeException.At(value, at, $"must be a list, not {value.Kind}");
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            var p = $"{at}[{i}]";
            if (item is MapNode map)
            {
                Keys(map, p, new HashSet<string>(StringComparer.Ordinal) { "source", "target", "permissions" });
                var source = Str(map.Get("source") ?? throw ComposeException.At(item, p, "source is required"), p + ".source");
                service.Devices.Add(new DeviceConfig(source,
                    map.Get("target") is { } t ? Str(t, p + ".target") : source,
                    map.Get("permissions") is { } perm ? Str(perm, p + ".permissions") : "rwm"));
                continue;
            }

            var parts = Str(item, p).Split(':');
            if (parts.Length > 3)
            {
                throw ComposeException.At(item, p, $"confusing device mapping, please use long syntax: {Str(item, p)}");
            }

            service.Devices.Add(new DeviceConfig(parts[0], parts.Length > 1 && parts[1].Length > 0 ? parts[1] : parts[0], parts.Length > 2 ? parts[2] : "rwm"));
        }
    }

    /// <summary>Like compose-go: a quoted mode or one with a leading 0 (or 0o) is octal, a plain number decimal.</summary>
    private static long FileMode(Node node, string path)
    {
        var text = Str(node, path);
        var octal = node is ScalarNode { Quoted: true } || text.StartsWith('0');
        var digits = text.StartsWith("0o", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        try
        {
            return octal ? Convert.ToInt64(digits.Length == 0 ? "0" : digits, 8) : long.Parse(digits, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            throw ComposeException.At(node, path, $"invalid file mode \"{text}\"");
        }
    }

    internal static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
