using System.Globalization;
using Wharf.Api.Common;
using Wharf.Api.Containers;
using Wharf.Compose.Model;
using Wharf.Compose.Planning.Hash;

namespace Wharf.Compose.Planning;

/// <summary>Turns a service into the Engine API create request for one of its containers, with Compose's
/// labels: the config hash is Compose v2's own (<see cref="ComposeServiceHash"/>), so replicas share it,
/// "up" recreates a container only when its service really changed, and docker compose agrees; the image
/// label carries the image id, so a new image under the same tag recreates too.</summary>
public static class ContainerSpecBuilder
{
    public static string ContainerName(ComposeProject project, ServiceConfig service, int number) =>
        service.ContainerName ?? $"{project.Name}-{service.Name}-{number.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The network the container is created on (highest priority, then name); others are connected before start.</summary>
    public static string? PrimaryNetwork(ServiceConfig service) =>
        service.Networks.OrderByDescending(n => n.Value.Priority).ThenBy(n => n.Key, StringComparer.Ordinal).Select(n => n.Key).FirstOrDefault();

    /// <summary>One network's endpoint; <paramref name="links"/> are the container's links (Compose v2 gives
    /// every endpoint the same ones, which is what makes a link alias resolve on a user network).</summary>
    public static EndpointSettings Endpoint(ComposeProject project, ServiceConfig service, string networkKey, string containerName, List<string>? links = null)
    {
        var settings = service.Networks[networkKey];
        var aliases = new List<string> { containerName, service.Name };
        aliases.AddRange(settings.Aliases.Where(a => !aliases.Contains(a)));
        return new EndpointSettings
        {
            Aliases = aliases,
            IPAMConfig = settings.Ipv4Address is null && settings.Ipv6Address is null
                ? null
                : new EndpointIpamConfig { IPv4Address = settings.Ipv4Address, IPv6Address = settings.Ipv6Address },
            GwPriority = settings.Priority,
            Links = links is null ? null : [.. links],
        };
    }

    /// <summary>Builds the request; <paramref name="references"/> resolves network_mode "service:x", volumes_from
    /// and links to the other services' containers (see <see cref="ServiceReferences"/>).</summary>
    public static ContainerCreateRequest Build(ComposeProject project, ServiceConfig service, int number, bool oneOff, ServiceReferences? references = null, string? imageId = null)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(service);
        references ??= ServiceReferences.None;
        var name = ContainerName(project, service, number);
        var links = references.Links(project, service, number);
        var request = new ContainerCreateRequest
        {
            Image = service.ImageName(project.Name),
            Cmd = service.Command,
            Entrypoint = service.Entrypoint,
            Env = service.Environment.Where(e => e.Value is not null).Select(e => $"{e.Key}={e.Value}").ToList(),
            User = service.User,
            WorkingDir = service.WorkingDir,
            Hostname = service.Hostname,
            Domainname = service.Domainname,
            MacAddress = service.MacAddress,
            Tty = service.Tty,
            OpenStdin = service.StdinOpen,
            StopSignal = service.StopSignal,
            StopTimeout = service.StopGracePeriod is { } grace ? (int)Math.Ceiling(grace.TotalSeconds) : null,
            Healthcheck = Health(service.Healthcheck),
            Labels = new Dictionary<string, string>(service.Labels, StringComparer.Ordinal),
        };

        var exposed = new Dictionary<string, EmptyObject>(StringComparer.Ordinal);
        foreach (var expose in service.Expose)
        {
            exposed[expose.Contains('/', StringComparison.Ordinal) ? expose : expose + "/tcp"] = new EmptyObject();
        }

        var bindings = new Dictionary<string, List<PortBinding>?>(StringComparer.Ordinal);
        foreach (var port in service.Ports)
        {
            var key = $"{port.Target.ToString(CultureInfo.InvariantCulture)}/{port.Protocol}";
            exposed[key] = new EmptyObject();
            if (!bindings.TryGetValue(key, out var list) || list is null)
            {
                list = [];
                bindings[key] = list;
            }

            list.Add(new PortBinding { HostIp = port.HostIp ?? "", HostPort = port.Published ?? "" });
        }

        request.ExposedPorts = exposed.Count == 0 ? null : exposed;
        var host = new HostConfig
        {
            PortBindings = bindings.Count == 0 ? null : bindings,
            RestartPolicy = Restart(service.Restart, service.Deploy?.RestartPolicy),
            Memory = service.MemoryLimit ?? 0,
            NanoCpus = service.CpuLimit is { } cpus ? (long)(cpus * 1e9) : 0,
            PidsLimit = service.PidsLimit,
            CapAdd = service.CapAdd.Count == 0 ? null : [.. service.CapAdd],
            CapDrop = service.CapDrop.Count == 0 ? null : [.. service.CapDrop],
            Privileged = service.Privileged,
            ExtraHosts = service.ExtraHosts.Count == 0 ? null : [.. service.ExtraHosts],
            Dns = service.Dns.Count == 0 ? null : [.. service.Dns],
            DnsSearch = service.DnsSearch.Count == 0 ? null : [.. service.DnsSearch],
            Init = service.Init,
            ReadonlyRootfs = service.ReadOnly,
            ShmSize = service.ShmSize ?? 0,
            Ulimits = service.Ulimits.Count == 0 ? null : service.Ulimits.Select(u => new Ulimit { Name = u.Key, Soft = u.Value.Soft, Hard = u.Value.Hard }).ToList(),
            Sysctls = service.Sysctls.Count == 0 ? null : new Dictionary<string, string>(service.Sysctls, StringComparer.Ordinal),
            LogConfig = service.Logging is { } logging
                ? new LogConfig { Type = logging.Driver ?? "json-file", Config = new Dictionary<string, string>(logging.Options, StringComparer.Ordinal) }
                : null,
            Tmpfs = service.Tmpfs.Count == 0 ? null : service.Tmpfs.ToDictionary(t => t.Split(':')[0], t => t.Contains(':', StringComparison.Ordinal) ? t[(t.IndexOf(':', StringComparison.Ordinal) + 1)..] : "", StringComparer.Ordinal),
            Mounts = Mounts(project, service),
            IpcMode = references.EngineNamespaceMode(service.Ipc, "IPC"),
            PidMode = references.EngineNamespaceMode(service.Pid, "PID"),
            UsernsMode = service.UsernsMode,
            UTSMode = service.Uts,
            Runtime = service.Runtime,
            CgroupParent = service.CgroupParent,
            Cgroup = service.Cgroup,
            Isolation = service.Isolation,
            CpusetCpus = service.Cpuset,
            CpuShares = service.CpuShares ?? 0,
            CpuQuota = service.CpuQuota ?? 0,
            CpuPeriod = service.CpuPeriod ?? 0,
            OomScoreAdj = (int)(service.OomScoreAdj ?? 0),
            MemoryReservation = service.Deploy?.ReservationsMemory ?? service.MemReservation ?? 0,
            MemorySwap = service.MemswapLimit ?? 0,
            OomKillDisable = service.OomKillDisable ? true : null,
            SecurityOpt = service.SecurityOpt.Count == 0 ? null : [.. service.SecurityOpt],
            GroupAdd = service.GroupAdd.Count == 0 ? null : [.. service.GroupAdd],
            DnsOptions = service.DnsOpt.Count == 0 ? null : [.. service.DnsOpt],
            DeviceCgroupRules = service.DeviceCgroupRules.Count == 0 ? null : [.. service.DeviceCgroupRules],
            Devices = service.Devices.Count == 0 ? null : service.Devices.Select(d => new DeviceMapping { PathOnHost = d.Source, PathInContainer = d.Target, CgroupPermissions = d.Permissions }).ToList(),
            Annotations = service.Annotations.Count == 0 ? null : new Dictionary<string, string>(service.Annotations, StringComparer.Ordinal),
            StorageOpt = service.StorageOpt.Count == 0 ? null : new Dictionary<string, string>(service.StorageOpt, StringComparer.Ordinal),
            Links = links,
            VolumesFrom = references.EngineVolumesFrom(service),
        };

        if (service.NetworkMode is { } mode)
        {
            // Hashed with the service name; the container id is filled in below, so a new id there does not
            // count as a change of this service.
            host.NetworkMode = mode.StartsWith("service:", StringComparison.Ordinal) ? "container:" + mode[8..] : mode;
        }
        else if (PrimaryNetwork(service) is { } primary)
        {
            var network = project.Networks[primary];
            host.NetworkMode = network.Name;
            request.NetworkingConfig = new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings>(StringComparer.Ordinal) { [network.Name] = Endpoint(project, service, primary, name, links) },
            };
        }

        request.HostConfig = host;
        var labels = request.Labels;
        labels[ComposeLabels.Project] = project.Name;
        labels[ComposeLabels.Service] = service.Name;
        labels[ComposeLabels.OneOff] = oneOff ? "True" : "False";
        labels[ComposeLabels.WorkingDir] = project.WorkingDir;
        labels[ComposeLabels.ConfigFiles] = string.Join(',', project.ConfigFiles);
        labels[ComposeLabels.Version] = ComposeLabels.ComposeVersion;
        labels[ComposeLabels.DependsOn] = string.Join(',', service.DependsOn.Select(d => $"{d.Key}:{d.Value.Condition}:{(d.Value.Restart ? "true" : "false")}"));
        labels[ComposeLabels.ContainerNumber] = number.ToString(CultureInfo.InvariantCulture);
        if (imageId is not null)
        {
            labels[ComposeLabels.Image] = imageId;
        }

        var resolvedMode = references.NetworkMode(service);
        if (resolvedMode is not null)
        {
            host.NetworkMode = resolvedMode;
        }

        labels[ComposeLabels.ConfigHash] = ComposeServiceHash.Compute(project, service, references.ForHash(service));
        return request;
    }

    private static HealthConfig? Health(HealthcheckConfig? health)
    {
        if (health is null)
        {
            return null;
        }

        if (health.Disable)
        {
            return new HealthConfig { Test = ["NONE"] };
        }

        static long Ns(TimeSpan? t) => t is { } v ? v.Ticks * 100 : 0;
        return new HealthConfig
        {
            Test = health.Test,
            Interval = Ns(health.Interval),
            Timeout = Ns(health.Timeout),
            StartPeriod = Ns(health.StartPeriod),
            StartInterval = Ns(health.StartInterval),
            Retries = health.Retries ?? 0,
        };
    }

    /// <summary>Compose v2's getRestartPolicy: restart: "name[:attempts]", overridden by deploy.restart_policy;
    /// the deploy names none/any become the engine's no/always.</summary>
    private static RestartPolicy? Restart(string? restart, DeployRestartPolicy? deploy)
    {
        if (deploy is not null)
        {
            return new RestartPolicy { Name = RestartName(deploy.Condition ?? ""), MaximumRetryCount = (int)(deploy.MaxAttempts ?? 0) };
        }

        if (restart is null)
        {
            return null;
        }

        var colon = restart.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? new RestartPolicy { Name = RestartName(restart) }
            : new RestartPolicy
            {
                Name = RestartName(restart[..colon]),
                MaximumRetryCount = int.TryParse(restart[(colon + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var attempts) ? attempts : 0,
            };
    }

    private static string RestartName(string condition) => condition switch
    {
        "none" or "no" => "no",
        "any" or "always" => "always",
        _ => condition,
    };

    private static List<MountSpec>? Mounts(ComposeProject project, ServiceConfig service)
    {
        var mounts = new List<MountSpec>();
        foreach (var volume in service.Volumes)
        {
            var mount = new MountSpec { Type = volume.Type, Target = volume.Target, ReadOnly = volume.ReadOnly };
            switch (volume.Type)
            {
                case "volume":
                    mount.Source = volume.Source is null ? null : project.Volumes[volume.Source].Name;
                    if (volume.NoCopy)
                    {
                        mount.VolumeOptions = new MountVolumeOptions { NoCopy = true };
                    }

                    break;
                case "bind":
                    mount.Source = volume.Source;
                    if (volume.Propagation is { } propagation)
                    {
                        mount.BindOptions = new MountBindOptions { Propagation = propagation };
                    }

                    break;
                case "tmpfs":
                    if (volume.TmpfsSize is { } size)
                    {
                        mount.TmpfsOptions = new MountTmpfsOptions { SizeBytes = size };
                    }

                    break;
            }

            mounts.Add(mount);
        }

        foreach (var secret in service.Secrets)
        {
            if (project.Secrets[secret.Source].File is { } file)
            {
                mounts.Add(new MountSpec { Type = "bind", Source = file, Target = secret.Target, ReadOnly = true });
            }
        }

        foreach (var config in service.Configs)
        {
            if (project.Configs[config.Source].File is { } file)
            {
                mounts.Add(new MountSpec { Type = "bind", Source = file, Target = config.Target, ReadOnly = true });
            }
        }

        return mounts.Count == 0 ? null : mounts;
    }
}
