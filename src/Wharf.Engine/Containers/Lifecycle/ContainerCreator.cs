using Wharf.Core.Errors;
using Wharf.Core.Oci;
using Wharf.Engine.Containers.Mounts;
using Wharf.Engine.Containers.Networking;
using Wharf.Engine.Containers.Resources;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Images;

namespace Wharf.Engine.Containers.Lifecycle;

/// <summary>docker create: checks the request as Docker does, merges the image's defaults, resolves networks and
/// plans mounts, and stores the record. Nothing runs, is mounted or wired until the lifecycle starts it.</summary>
public sealed partial class ContainerCreator
{
    private readonly EngineOptions _options;
    private readonly ContainerStore _store;
    private readonly ContainerEvents _events;
    private readonly ImageService _images;
    private readonly TimeProvider _time;
    private readonly ContainerNetworking _networking;
    private readonly ContainerMounts _volumeMounts;

    public ContainerCreator(EngineOptions options, ContainerStore store, ContainerEvents events, ImageService images, TimeProvider time,
        ContainerNetworking networking, ContainerMounts volumeMounts)
    {
        _options = options;
        _store = store;
        _events = events;
        _images = images;
        _time = time;
        _networking = networking;
        _volumeMounts = volumeMounts;
    }

    private static readonly string[] RestartPolicies = ["no", "always", "on-failure", "unless-stopped"];
    private const long MinimumMemory = 6 * 1024 * 1024;

    /// <summary>docker create: validates, merges the image's defaults into the config, stores the record.
    /// No process, mount or namespace exists until start.</summary>
    public ContainerSnapshot Create(ContainerCreateParams request)
    {
        var config = request.Config;
        var host = request.Host;
        if (string.IsNullOrWhiteSpace(config.Image)) throw EngineException.Invalid("config cannot be empty in order to create a container");
        ContainerNetworking.ValidateNetworkModeConflicts(config, host);
        _networking.ResolveNetworkSettings(host, request.MacAddress);
        ContainerNetworking.DefaultHostModeHostname(config, host);
        ValidateHostSettings(host);
        if (host.CgroupnsMode.Length == 0) host.CgroupnsMode = _options.DefaultCgroupnsMode; // stored, as Docker does
        ValidateResources(host);
        ValidateSecurityAndLogging(config, host);
        var image = _images.Resolve(config.Image);
        MergeImageDefaults(config, image.Config.Config);
        MergeHealthcheck(config, image.Config.Config.Healthcheck);
        var (path, args) = ResolveCommand(config);

        var id = ContainerStore.NewId();
        if (string.IsNullOrEmpty(config.Hostname)) config.Hostname = id[..12];
        var record = new ContainerRecord
        {
            Id = id,
            Name = "",
            Created = _time.GetUtcNow(),
            ImageId = image.Id.ToString(),
            Config = config,
            Host = host,
            Path = path,
            Args = args,
        };

        var entry = _store.Add(record, request.Name);
        // Found by name from now on (a start may already wait for it), listed from its first commit below.
        entry.Gate.Wait();
        try
        {
            try
            {
                WriteContainerFiles(record);
                record.MountPoints = _volumeMounts.PlanMounts(record);
                Persist(record);
            }
            catch
            {
                _store.Forget(record);
                Directory.Delete(PathsOf(record).DataDir, recursive: true);
                throw;
            }
            Publish(record, "create");
            return entry.Snapshot!;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    private void ValidateResources(HostSettings host)
    {
        ResourceValidation.ValidateCreate(host, _options.HostHardLimits, Environment.ProcessorCount);
        ResourceValidation.ValidateRealtime(host, _options.CpuRealtimeSupported);
        ResourceValidation.ValidateAnnotations(host.Annotations);
    }

    private static void ValidateHostSettings(HostSettings host)
    {
        if (host.NetworkMode is "" or "default") host.NetworkMode = "bridge";
        if (host.NetworkMode is not ("bridge" or "host" or "none") && !host.EndpointsConfig.ContainsKey(host.NetworkMode) && !host.NetworkMode.StartsWith("container:", StringComparison.Ordinal))
            throw EngineException.NotFound($"network {host.NetworkMode} not found");
        if (host.RestartPolicy is "") host.RestartPolicy = "no";
        if (!RestartPolicies.Contains(host.RestartPolicy))
            throw EngineException.Invalid($"invalid restart policy: unknown policy '{host.RestartPolicy}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        if (host.RestartMaxRetries < 0)
            throw EngineException.Invalid("invalid restart policy: maximum retry count cannot be negative");
        if (host.RestartMaxRetries > 0 && host.RestartPolicy != "on-failure")
            throw EngineException.Invalid($"invalid restart policy: maximum retry count can only be used with 'on-failure'");
        if (host.AutoRemove && host.RestartPolicy != "no")
            throw EngineException.Invalid("can't create 'AutoRemove' container with restart policy");
        if (host.Memory < 0 || (host.Memory > 0 && host.Memory < MinimumMemory))
            throw EngineException.Invalid("Minimum memory limit allowed is 6MB");
        if (host.MemorySwap > 0 && host.Memory > 0 && host.MemorySwap < host.Memory)
            throw EngineException.Invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        var cpus = Environment.ProcessorCount;
        if (host.NanoCpus < 0 || host.NanoCpus > cpus * 1_000_000_000L)
            throw EngineException.Invalid($"Range of CPUs is from 0.01 to {cpus}.00, as there are only {cpus} CPUs available");
        if (host.NanoCpus > 0 && (host.CpuQuota > 0 || host.CpuPeriod > 0))
            throw EngineException.Invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        if (host.CpuShares < 0)
            throw EngineException.Invalid($"invalid CPU shares ({host.CpuShares}): value must be a positive integer");
        if (host.PidsLimit is < -1) host.PidsLimit = -1;
        if (host.ShmSize < 0) throw EngineException.Invalid("SHM size can not be less than 0");
        Spec.Capabilities.Validate(host.CapAdd, host.CapDrop);
        foreach (var extraHost in host.ExtraHosts) Files.ContainerFiles.ValidateExtraHost(extraHost);
    }

    /// <summary>Docker merges the image's container defaults into the container's config at create, so inspect
    /// shows the effective values.</summary>
    private static void MergeImageDefaults(ContainerConfig config, ContainerDefaults image)
    {
        var env = new List<string>(image.Env ?? []);
        foreach (var entry in config.Env)
        {
            var key = entry.Split('=', 2)[0];
            env.RemoveAll(e => e.Split('=', 2)[0] == key);
            env.Add(entry);
        }
        config.Env = env;
        if (string.IsNullOrEmpty(config.WorkingDir)) config.WorkingDir = image.WorkingDir ?? "";
        if (string.IsNullOrEmpty(config.User)) config.User = image.User ?? "";
        config.StopSignal ??= image.StopSignal;
        foreach (var (k, v) in image.Labels ?? new Dictionary<string, string>())
            config.Labels.TryAdd(k, v);
        foreach (var port in image.ExposedPorts?.Keys ?? [])
            if (!config.ExposedPorts.Contains(port)) config.ExposedPorts.Add(port);
        foreach (var volume in image.Volumes?.Keys ?? [])
            if (!config.Volumes.Contains(volume)) config.Volumes.Add(volume);
        // An entrypoint given by the user resets the image's CMD, as in Docker.
        if (config.Entrypoint is null)
        {
            config.Entrypoint = image.Entrypoint?.ToList();
            config.Cmd ??= image.Cmd?.ToList();
        }
    }

    private static (string Path, List<string> Args) ResolveCommand(ContainerConfig config)
    {
        var all = new List<string>();
        all.AddRange(config.Entrypoint ?? []);
        all.AddRange(config.Cmd ?? []);
        if (all.Count == 0) throw EngineException.Invalid("No command specified");
        return (all[0], all.Skip(1).ToList());
    }

    private void WriteContainerFiles(ContainerRecord record)
    {
        var paths = PathsOf(record);
        Directory.CreateDirectory(paths.DataDir);
        var hostResolv = File.Exists(_options.HostResolvConf) ? File.ReadAllText(_options.HostResolvConf) : "";
        File.WriteAllText(paths.HostnameFile, Files.ContainerFiles.Hostname(record.Config.Hostname));
        File.WriteAllText(paths.HostsFile, Files.ContainerFiles.Hosts(record.Config.Hostname, record.Config.Domainname, record.Host.ExtraHosts, containerIp: null, hostGatewayIp: _networking.HostGatewayIp));
        File.WriteAllText(paths.ResolvConfFile, Files.ContainerFiles.ResolvConf(hostResolv, record.Host.Dns, record.Host.DnsSearch, record.Host.DnsOptions, hostNetwork: record.Host.NetworkMode == "host"));
        File.WriteAllText(paths.LogFile, "");
        _networking.WriteHostModeFiles(record);
    }

    private ContainerPaths PathsOf(ContainerRecord record) => _store.PathsOf(record);

    private void Persist(ContainerRecord record) => _store.Persist(record);

    private void Publish(ContainerRecord record, string action) => _events.Publish(record, action);
}
