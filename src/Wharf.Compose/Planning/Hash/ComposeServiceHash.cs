using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Wharf.Compose.Model;

namespace Wharf.Compose.Planning.Hash;

/// <summary>The com.docker.compose.config-hash label exactly as Docker Compose v2 (2.30.2 to 2.40, on
/// compose-go 2.4 to 2.9) computes it: sha256 of Go's json.Marshal of compose-go's ServiceConfig after
/// loading, normalisation and environment resolution, with build, pull_policy, scale, deploy.replicas,
/// depends_on and profiles cleared. Members appear in the struct's field order, omitempty ones only when
/// set; command and entrypoint are never omitted. Matching it lets `docker compose up` keep containers that
/// `wharf compose up` made, and the reverse. Keys Wharf does not model are absent here as in the model.</summary>
public static class ComposeServiceHash
{
    public static string Compute(ComposeProject project, ServiceConfig service, ResolvedReferences? resolved = null) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Json(project, service, resolved))));

    /// <summary>The JSON that is hashed; <paramref name="resolved"/> holds network_mode, ipc, pid ("container:ID"
    /// for "service:x" once that container exists) and volumes_from as Compose resolves them before hashing
    /// (<see cref="ServiceReferences.ForHash"/>); without it they are hashed as written.</summary>
    public static string Json(ComposeProject project, ServiceConfig service, ResolvedReferences? resolved = null)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(service);
        resolved ??= ResolvedReferences.AsWritten;
        var j = new GoJson().BeginObject();
        j.OptStringMap("annotations", service.Annotations);
        if (service.Attach is { } attach)
        {
            j.Name("attach").Bool(attach);
        }

        j.OptStringList("cap_add", service.CapAdd);
        j.OptStringList("cap_drop", service.CapDrop);
        j.OptString("cgroup_parent", service.CgroupParent);
        j.OptString("cgroup", service.Cgroup);
        j.OptNumber("cpu_period", service.CpuPeriod);
        j.OptNumber("cpu_quota", service.CpuQuota);
        if (service.TopLevelCpus is { } cpus && (float)cpus != 0)
        {
            j.Name("cpus").Float32(cpus);
        }

        j.OptString("cpuset", service.Cpuset);
        j.OptNumber("cpu_shares", service.CpuShares);

        Command(j, "command", service.Command);
        References(j, "configs", service.Configs, secrets: false);
        j.OptString("container_name", service.ContainerName);
        Deploy(j, service.Deploy);
        j.OptStringList("device_cgroup_rules", service.DeviceCgroupRules);
        if (service.Devices.Count > 0)
        {
            j.Name("devices").BeginArray();
            foreach (var device in service.Devices)
            {
                j.Name(null).BeginObject().OptString("source", device.Source).OptString("target", device.Target).OptString("permissions", device.Permissions).EndObject();
            }

            j.EndArray();
        }

        j.OptStringList("dns", service.Dns);
        j.OptStringList("dns_opt", service.DnsOpt);
        j.OptStringList("dns_search", service.DnsSearch);
        j.OptString("domainname", service.Domainname);
        Command(j, "entrypoint", service.Entrypoint);
        Environment(j, service.Environment);
        j.OptStringList("expose", service.Expose);
        j.OptStringList("external_links", service.ExternalLinks);
        j.OptStringList("extra_hosts", service.ExtraHosts.Select(HostEntry).Order(StringComparer.Ordinal).ToList());
        j.OptStringList("group_add", service.GroupAdd);
        j.OptString("hostname", service.Hostname);
        Healthcheck(j, service.Healthcheck);
        j.OptString("image", service.Image);
        if (service.Init is { } init)
        {
            j.Name("init").Bool(init);
        }

        j.OptString("ipc", resolved.Ipc ?? service.Ipc);
        j.OptString("isolation", service.Isolation);

        j.OptStringMap("labels", service.Labels);
        j.OptStringList("links", service.Links);
        if (service.Logging is { } logging)
        {
            j.Name("logging").BeginObject().OptString("driver", logging.Driver).OptStringMap("options", logging.Options).EndObject();
        }

        if (service.TopLevelMemLimit is { } memLimit and not 0)
        {
            j.Name("mem_limit").String(memLimit.ToString(CultureInfo.InvariantCulture));
        }

        Bytes(j, "mem_reservation", service.MemReservation);
        Bytes(j, "memswap_limit", service.MemswapLimit);
        j.OptString("mac_address", service.MacAddress);

        j.OptString("network_mode", resolved.NetworkMode ?? service.NetworkMode);
        Networks(j, service.Networks);
        j.OptBool("oom_kill_disable", service.OomKillDisable);
        j.OptNumber("oom_score_adj", service.OomScoreAdj);
        j.OptString("pid", resolved.Pid ?? service.Pid);
        j.OptNumber("pids_limit", service.TopLevelPidsLimit);
        j.OptString("platform", service.Platform);
        Ports(j, service.Ports);
        j.OptBool("privileged", service.Privileged);
        j.OptBool("read_only", service.ReadOnly);
        j.OptString("restart", service.Restart);
        j.OptString("runtime", service.Runtime);
        References(j, "secrets", service.Secrets, secrets: true);
        j.OptStringList("security_opt", service.SecurityOpt);
        if (service.ShmSize is { } shm and not 0)
        {
            j.Name("shm_size").String(shm.ToString(CultureInfo.InvariantCulture));
        }

        j.OptBool("stdin_open", service.StdinOpen);
        if (service.StopGracePeriod is { } grace)
        {
            j.Name("stop_grace_period").String(GoDuration.Format(grace));
        }

        j.OptString("stop_signal", service.StopSignal);
        j.OptStringMap("storage_opt", service.StorageOpt);
        j.OptStringMap("sysctls", service.Sysctls);
        j.OptStringList("tmpfs", service.Tmpfs);
        j.OptBool("tty", service.Tty);
        Ulimits(j, service.Ulimits);
        j.OptString("user", service.User);
        j.OptString("userns_mode", service.UsernsMode);
        j.OptString("uts", service.Uts);
        Volumes(j, service.Volumes);
        j.OptStringList("volumes_from", resolved.VolumesFrom ?? service.VolumesFrom);
        j.OptString("working_dir", service.WorkingDir);
        return j.EndObject().ToString();
    }

    private static void Bytes(GoJson j, string name, long? value)
    {
        // UnitBytes marshals as a quoted decimal.
        if (value is { } bytes and not 0)
        {
            j.Name(name).String(bytes.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>compose-go keeps extra hosts as host → IPs and writes them "host=ip", sorted.</summary>
    private static string HostEntry(string entry)
    {
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? entry : entry[..colon] + "=" + entry[(colon + 1)..];
    }

    private static void Command(GoJson j, string name, List<string>? command)
    {
        // ShellCommand has no omitempty: unset is null, an explicit empty one [].
        j.Name(name);
        if (command is null)
        {
            j.Null();
            return;
        }

        j.BeginArray();
        foreach (var word in command)
        {
            j.Name(null).String(word);
        }

        j.EndArray();
    }

    private static void Environment(GoJson j, SortedDictionary<string, string?> environment)
    {
        if (environment.Count == 0)
        {
            return;
        }

        j.Name("environment").BeginObject();
        foreach (var (key, value) in environment)
        {
            j.Name(key);
            if (value is null)
            {
                j.Null();
            }
            else
            {
                j.String(value);
            }
        }

        j.EndObject();
    }

    private static void Deploy(GoJson j, DeploySettings? deploy)
    {
        if (deploy is null)
        {
            return;
        }

        // Resources and Placement are struct values in compose-go: omitempty never drops them.
        j.Name("deploy").BeginObject().OptString("mode", deploy.Mode).OptStringMap("labels", deploy.Labels);
        j.Name("resources").BeginObject();
        if (deploy.HasLimits)
        {
            j.Name("limits").BeginObject();
            if (deploy.LimitsCpus is { } cpus && (float)cpus != 0)
            {
                j.Name("cpus").Float32(cpus);
            }

            if (deploy.LimitsMemory is { } memory and not 0)
            {
                j.Name("memory").String(memory.ToString(CultureInfo.InvariantCulture));
            }

            j.OptNumber("pids", deploy.LimitsPids);
            j.EndObject();
        }

        if (deploy.HasReservations)
        {
            j.Name("reservations").BeginObject();
            if (deploy.ReservationsCpus is { } reservedCpus && (float)reservedCpus != 0)
            {
                j.Name("cpus").Float32(reservedCpus);
            }

            Bytes(j, "memory", deploy.ReservationsMemory);
            j.EndObject();
        }

        j.EndObject();
        if (deploy.RestartPolicy is { } policy)
        {
            j.Name("restart_policy").BeginObject().OptString("condition", policy.Condition);
            Duration(j, "delay", policy.Delay);
            if (policy.MaxAttempts is { } attempts)
            {
                j.Name("max_attempts").Number(attempts);
            }

            Duration(j, "window", policy.Window);
            j.EndObject();
        }

        j.Name("placement").BeginObject().EndObject();
        j.OptString("endpoint_mode", deploy.EndpointMode);
        j.EndObject();
    }

    private static void Healthcheck(GoJson j, HealthcheckConfig? health)
    {
        if (health is null)
        {
            return;
        }

        j.Name("healthcheck").BeginObject();
        j.OptStringList("test", health.Test);
        Duration(j, "timeout", health.Timeout);
        Duration(j, "interval", health.Interval);
        if (health.Retries is { } retries)
        {
            j.Name("retries").Number(retries);
        }

        Duration(j, "start_period", health.StartPeriod);
        Duration(j, "start_interval", health.StartInterval);
        j.OptBool("disable", health.Disable && health.Test is not ["NONE", ..]);
        j.EndObject();
    }

    private static void Duration(GoJson j, string name, TimeSpan? value)
    {
        // *Duration: present whenever set, even to 0s.
        if (value is { } v)
        {
            j.Name(name).String(GoDuration.Format(v));
        }
    }

    private static void Networks(GoJson j, SortedDictionary<string, ServiceNetwork> networks)
    {
        if (networks.Count == 0)
        {
            return;
        }

        j.Name("networks").BeginObject();
        foreach (var (name, network) in networks)
        {
            j.Name(name);
            if (!network.HasSettings)
            {
                j.Null();
                continue;
            }

            j.BeginObject()
                .OptStringList("aliases", network.Aliases)
                .OptString("ipv4_address", network.Ipv4Address)
                .OptString("ipv6_address", network.Ipv6Address)
                .OptNumber("priority", network.Priority)
                .EndObject();
        }

        j.EndObject();
    }

    private static void Ports(GoJson j, List<PortConfig> ports)
    {
        if (ports.Count == 0)
        {
            return;
        }

        j.Name("ports").BeginArray();
        foreach (var port in ports)
        {
            j.Name(null).BeginObject()
                .OptString("name", port.Name)
                .OptString("mode", port.Mode)
                .OptString("host_ip", port.HostIp)
                .OptNumber("target", port.Target)
                .OptString("published", port.Published)
                .OptString("protocol", port.Protocol)
                .EndObject();
        }

        j.EndArray();
    }

    private static void References(GoJson j, string name, List<FileReference> references, bool secrets)
    {
        if (references.Count == 0)
        {
            return;
        }

        j.Name(name).BeginArray();
        foreach (var reference in references)
        {
            // compose-go fills in a secret's default target when loading; a config's stays empty.
            var target = reference.GivenTarget ?? (secrets ? "/run/secrets/" + reference.Source : null);
            j.Name(null).BeginObject()
                .OptString("source", reference.Source)
                .OptString("target", target)
                .OptString("uid", reference.Uid)
                .OptString("gid", reference.Gid);
            if (reference.ModeValue is { } mode)
            {
                j.Name("mode").String("0" + Convert.ToString(mode, 8));
            }

            j.EndObject();
        }

        j.EndArray();
    }

    private static void Ulimits(GoJson j, SortedDictionary<string, UlimitConfig> ulimits)
    {
        if (ulimits.Count == 0)
        {
            return;
        }

        j.Name("ulimits").BeginObject();
        foreach (var (name, limit) in ulimits)
        {
            j.Name(name);
            if (limit.Single && limit.Soft != 0)
            {
                j.Number(limit.Soft);
            }
            else
            {
                j.BeginObject().OptNumber("soft", limit.Single ? null : limit.Soft).OptNumber("hard", limit.Single ? null : limit.Hard).EndObject();
            }
        }

        j.EndObject();
    }

    private static void Volumes(GoJson j, List<ServiceVolume> volumes)
    {
        if (volumes.Count == 0)
        {
            return;
        }

        j.Name("volumes").BeginArray();
        foreach (var volume in volumes)
        {
            j.Name(null).BeginObject()
                .OptString("type", volume.Type)
                .OptString("source", volume.Source)
                .OptString("target", CleanTarget(volume.Target))
                .OptBool("read_only", volume.ReadOnly);
            if (volume.BindSection || volume.Propagation is not null)
            {
                j.Name("bind").BeginObject()
                    .OptString("selinux", volume.SELinux)
                    .OptString("propagation", volume.Propagation)
                    .OptBool("create_host_path", volume.BindCreateHostPathDeclared)
                    .EndObject();
            }

            if (volume.VolumeSection || volume.NoCopy)
            {
                j.Name("volume").BeginObject().OptBool("nocopy", volume.NoCopy).EndObject();
            }

            if (volume.TmpfsSection || volume.TmpfsSize is not null)
            {
                j.Name("tmpfs").BeginObject();
                if (volume.TmpfsSize is { } size and not 0)
                {
                    j.Name("size").String(size.ToString(CultureInfo.InvariantCulture));
                }

                j.EndObject();
            }

            j.EndObject();
        }

        j.EndArray();
    }

    /// <summary>Go's path.Clean, which compose-go applies to every mount target.</summary>
    internal static string CleanTarget(string target)
    {
        if (target.Length == 0)
        {
            return "";
        }

        var rooted = target.StartsWith('/');
        var parts = new List<string>();
        foreach (var part in target.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!rooted)
                {
                    parts.Add(part);
                }

                continue;
            }

            parts.Add(part);
        }

        var joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }
}
