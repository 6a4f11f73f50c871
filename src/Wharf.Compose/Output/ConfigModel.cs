using System.Globalization;
using Wharf.Compose.Model;
using Wharf.Compose.Yaml;

namespace Wharf.Compose.Output;

/// <summary>The normalised project as a node tree, shaped like "docker compose config" prints it
/// (long syntax everywhere, keys sorted, names resolved). Unquoted scalars are numbers, bools or null.</summary>
public static class ConfigModel
{
    public static MapNode Build(ComposeProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var root = new MapNode();
        root.Set("name", S(project.Name));
        var services = new MapNode();
        foreach (var service in project.Services.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            services.Set(service.Name, Service(project, service));
        }

        root.Set("services", services);
        if (project.Networks.Count > 0)
        {
            var networks = new MapNode();
            foreach (var (key, network) in project.Networks)
            {
                var n = new MapNode();
                n.Set("name", S(network.Name));
                if (network.Driver is { } driver)
                {
                    n.Set("driver", S(driver));
                }

                if (network.DriverOpts.Count > 0)
                {
                    n.Set("driver_opts", Dict(network.DriverOpts));
                }

                if (network.External)
                {
                    n.Set("external", Raw("true"));
                }

                if (network.Internal)
                {
                    n.Set("internal", Raw("true"));
                }

                if (network.Attachable)
                {
                    n.Set("attachable", Raw("true"));
                }

                if (network.EnableIpv6 is { } v6)
                {
                    n.Set("enable_ipv6", Raw(v6 ? "true" : "false"));
                }

                if (network.IpamConfig.Count > 0 || network.IpamDriver is not null)
                {
                    var ipam = new MapNode();
                    if (network.IpamDriver is { } ipamDriver)
                    {
                        ipam.Set("driver", S(ipamDriver));
                    }

                    var pools = new SeqNode(SourceLocation.None);
                    foreach (var pool in network.IpamConfig)
                    {
                        var p = new MapNode();
                        SetIf(p, "subnet", pool.Subnet);
                        SetIf(p, "gateway", pool.Gateway);
                        SetIf(p, "ip_range", pool.IpRange);
                        pools.Items.Add(p);
                    }

                    ipam.Set("config", pools);
                    n.Set("ipam", ipam);
                }

                if (network.Labels.Count > 0)
                {
                    n.Set("labels", Dict(network.Labels));
                }

                networks.Set(key, n);
            }

            root.Set("networks", networks);
        }

        if (project.Volumes.Count > 0)
        {
            var volumes = new MapNode();
            foreach (var (key, volume) in project.Volumes)
            {
                var v = new MapNode();
                v.Set("name", S(volume.Name));
                SetIf(v, "driver", volume.Driver);
                if (volume.DriverOpts.Count > 0)
                {
                    v.Set("driver_opts", Dict(volume.DriverOpts));
                }

                if (volume.External)
                {
                    v.Set("external", Raw("true"));
                }

                if (volume.Labels.Count > 0)
                {
                    v.Set("labels", Dict(volume.Labels));
                }

                volumes.Set(key, v);
            }

            root.Set("volumes", volumes);
        }

        foreach (var (section, objects) in new[] { ("secrets", project.Secrets), ("configs", project.Configs) })
        {
            if (objects.Count == 0)
            {
                continue;
            }

            var map = new MapNode();
            foreach (var (key, item) in objects)
            {
                var m = new MapNode();
                m.Set("name", S(item.Name));
                SetIf(m, "file", item.File);
                SetIf(m, "environment", item.Environment);
                SetIf(m, "content", item.Content);
                if (item.External)
                {
                    m.Set("external", Raw("true"));
                }

                map.Set(key, m);
            }

            root.Set(section, map);
        }

        return root;
    }

    private static MapNode Service(ComposeProject project, ServiceConfig service)
    {
        var m = new MapNode();
        if (service.Build is { } build)
        {
            var b = new MapNode();
            b.Set("context", S(build.Context));
            b.Set("dockerfile", S(build.Dockerfile ?? "Dockerfile"));
            if (build.Args.Count > 0)
            {
                var args = new MapNode();
                foreach (var (k, v) in build.Args)
                {
                    args.Set(k, v is null ? Raw("null") : S(v));
                }

                b.Set("args", args);
            }

            SetIf(b, "target", build.Target);
            if (build.Labels.Count > 0)
            {
                b.Set("labels", Dict(build.Labels));
            }

            m.Set("build", b);
        }

        SetList(m, "cap_add", service.CapAdd);
        SetList(m, "cap_drop", service.CapDrop);
        if (service.Command is { } command)
        {
            m.Set("command", Seq(command));
        }

        if (service.Configs.Count > 0)
        {
            m.Set("configs", References(service.Configs));
        }

        SetIf(m, "container_name", service.ContainerName);
        if (service.DependsOn.Count > 0)
        {
            var depends = new MapNode();
            foreach (var (name, d) in service.DependsOn)
            {
                var e = new MapNode();
                e.Set("condition", S(d.Condition));
                e.Set("required", Raw(d.Required ? "true" : "false"));
                e.Set("restart", Raw(d.Restart ? "true" : "false"));
                depends.Set(name, e);
            }

            m.Set("depends_on", depends);
        }

        // Top-level limits stay top-level and deploy ones in deploy, as written: the two hash differently.
        if (service.TopLevelCpus is { } topCpus)
        {
            m.Set("cpus", Raw(topCpus.ToString(CultureInfo.InvariantCulture)));
        }

        if (service.TopLevelMemLimit is { } memLimit)
        {
            m.Set("mem_limit", S(memLimit.ToString(CultureInfo.InvariantCulture)));
        }

        if (service.TopLevelPidsLimit is { } pidsLimit)
        {
            m.Set("pids_limit", Raw(pidsLimit.ToString(CultureInfo.InvariantCulture)));
        }

        if (service.Deploy is not null || service.Replicas is not null)
        {
            m.Set("deploy", Deploy(service));
        }

        SetList(m, "dns", service.Dns);
        SetList(m, "dns_search", service.DnsSearch);
        if (service.Entrypoint is { } entrypoint)
        {
            m.Set("entrypoint", Seq(entrypoint));
        }

        if (service.Environment.Count > 0)
        {
            var env = new MapNode();
            foreach (var (k, v) in service.Environment)
            {
                env.Set(k, v is null ? Raw("null") : S(v));
            }

            m.Set("environment", env);
        }

        SetList(m, "expose", service.Expose);
        SetList(m, "extra_hosts", service.ExtraHosts);
        if (service.Healthcheck is { } health)
        {
            var h = new MapNode();
            if (health.Disable)
            {
                h.Set("disable", Raw("true"));
            }

            if (health.Test is { } test)
            {
                h.Set("test", Seq(test));
            }

            SetIf(h, "interval", Duration(health.Interval));
            SetIf(h, "timeout", Duration(health.Timeout));
            if (health.Retries is { } retries)
            {
                h.Set("retries", Raw(retries.ToString(CultureInfo.InvariantCulture)));
            }

            SetIf(h, "start_period", Duration(health.StartPeriod));
            SetIf(h, "start_interval", Duration(health.StartInterval));
            m.Set("healthcheck", h);
        }

        SetIf(m, "hostname", service.Hostname);
        m.Set("image", S(service.ImageName(project.Name)));
        if (service.Init is { } init)
        {
            m.Set("init", Raw(init ? "true" : "false"));
        }

        if (service.Labels.Count > 0)
        {
            m.Set("labels", Dict(service.Labels));
        }

        if (service.Logging is { } logging)
        {
            var l = new MapNode();
            SetIf(l, "driver", logging.Driver);
            if (logging.Options.Count > 0)
            {
                l.Set("options", Dict(logging.Options));
            }

            m.Set("logging", l);
        }

        SetIf(m, "network_mode", service.NetworkMode);
        if (service.Networks.Count > 0)
        {
            var networks = new MapNode();
            foreach (var (key, n) in service.Networks)
            {
                if (n.Aliases.Count == 0 && n.Ipv4Address is null && n.Ipv6Address is null && n.Priority == 0)
                {
                    networks.Set(key, Raw("null"));
                    continue;
                }

                var e = new MapNode();
                if (n.Aliases.Count > 0)
                {
                    e.Set("aliases", Seq(n.Aliases));
                }

                SetIf(e, "ipv4_address", n.Ipv4Address);
                SetIf(e, "ipv6_address", n.Ipv6Address);
                if (n.Priority != 0)
                {
                    e.Set("priority", Raw(n.Priority.ToString(CultureInfo.InvariantCulture)));
                }

                networks.Set(key, e);
            }

            m.Set("networks", networks);
        }

        if (service.Ports.Count > 0)
        {
            var ports = new SeqNode(SourceLocation.None);
            foreach (var port in service.Ports)
            {
                var p = new MapNode();
                SetIf(p, "name", port.Name);
                p.Set("mode", S(port.Mode));
                SetIf(p, "host_ip", port.HostIp);
                p.Set("target", Raw(port.Target.ToString(CultureInfo.InvariantCulture)));
                SetIf(p, "published", port.Published);
                p.Set("protocol", S(port.Protocol));
                ports.Items.Add(p);
            }

            m.Set("ports", ports);
        }

        if (service.Privileged)
        {
            m.Set("privileged", Raw("true"));
        }

        SetList(m, "profiles", service.Profiles);
        SetIf(m, "pull_policy", service.PullPolicy);
        if (service.ReadOnly)
        {
            m.Set("read_only", Raw("true"));
        }

        SetIf(m, "restart", service.Restart);
        if (service.Secrets.Count > 0)
        {
            m.Set("secrets", References(service.Secrets));
        }

        if (service.ShmSize is { } shm)
        {
            m.Set("shm_size", S(shm.ToString(CultureInfo.InvariantCulture)));
        }

        if (service.StdinOpen)
        {
            m.Set("stdin_open", Raw("true"));
        }

        SetIf(m, "stop_grace_period", Duration(service.StopGracePeriod));
        SetIf(m, "stop_signal", service.StopSignal);
        if (service.Sysctls.Count > 0)
        {
            m.Set("sysctls", Dict(service.Sysctls));
        }

        SetList(m, "tmpfs", service.Tmpfs);
        if (service.Tty)
        {
            m.Set("tty", Raw("true"));
        }

        if (service.Ulimits.Count > 0)
        {
            var ulimits = new MapNode();
            foreach (var (name, u) in service.Ulimits)
            {
                var e = new MapNode();
                e.Set("soft", Raw(u.Soft.ToString(CultureInfo.InvariantCulture)));
                e.Set("hard", Raw(u.Hard.ToString(CultureInfo.InvariantCulture)));
                ulimits.Set(name, e);
            }

            m.Set("ulimits", ulimits);
        }

        SetIf(m, "user", service.User);
        if (service.Volumes.Count > 0)
        {
            var volumes = new SeqNode(SourceLocation.None);
            foreach (var volume in service.Volumes)
            {
                var v = new MapNode();
                v.Set("type", S(volume.Type));
                SetIf(v, "source", volume.Source);
                v.Set("target", S(volume.Target));
                if (volume.ReadOnly)
                {
                    v.Set("read_only", Raw("true"));
                }

                // The sections compose-go has for this mount (short syntax implies some), so that the output
                // loads back to the same model and the same config hash.
                if (volume.BindSection || volume.Propagation is not null)
                {
                    var bind = new MapNode();
                    SetIf(bind, "selinux", volume.SELinux);
                    SetIf(bind, "propagation", volume.Propagation);
                    if (volume.BindCreateHostPathDeclared)
                    {
                        bind.Set("create_host_path", Raw("true"));
                    }

                    v.Set("bind", bind);
                }

                if (volume.VolumeSection || volume.NoCopy)
                {
                    var vol = new MapNode();
                    if (volume.NoCopy)
                    {
                        vol.Set("nocopy", Raw("true"));
                    }

                    v.Set("volume", vol);
                }

                if (volume.TmpfsSection || volume.TmpfsSize is not null)
                {
                    var tmpfs = new MapNode();
                    if (volume.TmpfsSize is { } size)
                    {
                        tmpfs.Set("size", Raw(size.ToString(CultureInfo.InvariantCulture)));
                    }

                    v.Set("tmpfs", tmpfs);
                }

                volumes.Items.Add(v);
            }

            m.Set("volumes", volumes);
        }

        SetList(m, "links", service.Links);
        SetList(m, "external_links", service.ExternalLinks);
        SetList(m, "volumes_from", service.VolumesFrom);
        SetIf(m, "working_dir", service.WorkingDir);
        PassThrough(m, service);
        // Keys in name order, as the doc of this model promises.
        m.Entries.Sort((x, y) => string.CompareOrdinal(x.Key, y.Key));
        return m;
    }

    private static MapNode Deploy(ServiceConfig service)
    {
        var deploy = new MapNode();
        var settings = service.Deploy;
        SetIf(deploy, "mode", settings?.Mode);
        if (service.Replicas is { } replicas)
        {
            deploy.Set("replicas", Raw(replicas.ToString(CultureInfo.InvariantCulture)));
        }

        if (settings is null)
        {
            return deploy;
        }

        if (settings.Labels.Count > 0)
        {
            deploy.Set("labels", Dict(settings.Labels));
        }

        if (settings.HasLimits || settings.HasReservations)
        {
            var resources = new MapNode();
            if (settings.HasLimits)
            {
                resources.Set("limits", Resource(settings.LimitsCpus, settings.LimitsMemory, settings.LimitsPids));
            }

            if (settings.HasReservations)
            {
                resources.Set("reservations", Resource(settings.ReservationsCpus, settings.ReservationsMemory, null));
            }

            deploy.Set("resources", resources);
        }

        if (settings.RestartPolicy is { } policy)
        {
            var restart = new MapNode();
            SetIf(restart, "condition", policy.Condition);
            if (policy.Delay is { } delay)
            {
                restart.Set("delay", S(Planning.Hash.GoDuration.Format(delay)));
            }

            if (policy.MaxAttempts is { } attempts)
            {
                restart.Set("max_attempts", Raw(attempts.ToString(CultureInfo.InvariantCulture)));
            }

            if (policy.Window is { } window)
            {
                restart.Set("window", S(Planning.Hash.GoDuration.Format(window)));
            }

            deploy.Set("restart_policy", restart);
        }

        SetIf(deploy, "endpoint_mode", settings.EndpointMode);
        return deploy;
    }

    private static MapNode Resource(double? cpus, long? memory, long? pids)
    {
        var resource = new MapNode();
        if (cpus is { } c)
        {
            resource.Set("cpus", Raw(c.ToString(CultureInfo.InvariantCulture)));
        }

        if (memory is { } bytes)
        {
            resource.Set("memory", S(bytes.ToString(CultureInfo.InvariantCulture)));
        }

        if (pids is { } p)
        {
            resource.Set("pids", Raw(p.ToString(CultureInfo.InvariantCulture)));
        }

        return resource;
    }

    /// <summary>The engine settings compose passes through unchanged.</summary>
    private static void PassThrough(MapNode m, ServiceConfig service)
    {
        foreach (var (key, value) in new[]
        {
            ("ipc", service.Ipc), ("pid", service.Pid), ("userns_mode", service.UsernsMode), ("uts", service.Uts),
            ("runtime", service.Runtime), ("cgroup_parent", service.CgroupParent), ("cgroup", service.Cgroup),
            ("isolation", service.Isolation), ("cpuset", service.Cpuset), ("mac_address", service.MacAddress),
            ("domainname", service.Domainname),
        })
        {
            SetIf(m, key, value);
        }

        foreach (var (key, value) in new[]
        {
            ("cpu_shares", service.CpuShares), ("cpu_quota", service.CpuQuota), ("cpu_period", service.CpuPeriod),
            ("oom_score_adj", service.OomScoreAdj), ("mem_reservation", service.MemReservation), ("memswap_limit", service.MemswapLimit),
        })
        {
            if (value is { } number)
            {
                m.Set(key, Raw(number.ToString(CultureInfo.InvariantCulture)));
            }
        }

        if (service.OomKillDisable)
        {
            m.Set("oom_kill_disable", Raw("true"));
        }

        if (service.Attach is { } attach)
        {
            m.Set("attach", Raw(attach ? "true" : "false"));
        }

        SetList(m, "security_opt", service.SecurityOpt);
        SetList(m, "group_add", service.GroupAdd);
        SetList(m, "dns_opt", service.DnsOpt);
        SetList(m, "device_cgroup_rules", service.DeviceCgroupRules);
        if (service.Annotations.Count > 0)
        {
            m.Set("annotations", Dict(service.Annotations));
        }

        if (service.StorageOpt.Count > 0)
        {
            m.Set("storage_opt", Dict(service.StorageOpt));
        }

        if (service.Devices.Count > 0)
        {
            var devices = new SeqNode(SourceLocation.None);
            foreach (var device in service.Devices)
            {
                var d = new MapNode();
                d.Set("source", S(device.Source));
                d.Set("target", S(device.Target));
                d.Set("permissions", S(device.Permissions));
                devices.Items.Add(d);
            }

            m.Set("devices", devices);
        }
    }

    private static SeqNode References(List<FileReference> references)
    {
        var seq = new SeqNode(SourceLocation.None);
        foreach (var reference in references)
        {
            var r = new MapNode();
            r.Set("source", S(reference.Source));
            r.Set("target", S(reference.Target));
            SetIf(r, "mode", reference.Mode);
            seq.Items.Add(r);
        }

        return seq;
    }

    private static string? Duration(TimeSpan? value)
    {
        if (value is not { } t)
        {
            return null;
        }

        // Go's time.Duration.String() form, which Compose prints: 1m30s, 10s, 500ms.
        if (t < TimeSpan.FromSeconds(1))
        {
            return t.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var text = "";
        if (t.TotalHours >= 1)
        {
            text += ((int)t.TotalHours).ToString(CultureInfo.InvariantCulture) + "h";
        }

        if (t.TotalMinutes >= 1)
        {
            text += t.Minutes.ToString(CultureInfo.InvariantCulture) + "m";
        }

        var seconds = t.Seconds + (t.Milliseconds / 1000.0);
        return text + seconds.ToString(CultureInfo.InvariantCulture) + "s";
    }

    private static ScalarNode S(string value) => new(value, true, SourceLocation.None);

    private static ScalarNode Raw(string value) => new(value, false, SourceLocation.None);

    private static SeqNode Seq(IEnumerable<string> values)
    {
        var seq = new SeqNode(SourceLocation.None);
        seq.Items.AddRange(values.Select(S));
        return seq;
    }

    private static MapNode Dict(IEnumerable<KeyValuePair<string, string>> values)
    {
        var map = new MapNode();
        foreach (var (k, v) in values)
        {
            map.Set(k, S(v));
        }

        return map;
    }

    private static void SetIf(MapNode map, string key, string? value)
    {
        if (value is not null)
        {
            map.Set(key, S(value));
        }
    }

    private static void SetList(MapNode map, string key, List<string> values)
    {
        if (values.Count > 0)
        {
            map.Set(key, Seq(values));
        }
    }
}
