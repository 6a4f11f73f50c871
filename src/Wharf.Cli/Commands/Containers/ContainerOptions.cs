using System.Globalization;
using System.Text.RegularExpressions;
using Wharf.Api.Common;
using Wharf.Api.Containers;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

/// <summary>The flags shared by `run` and `create`, and their translation into a create request.</summary>
internal static partial class ContainerOptions
{
    public static readonly IReadOnlyList<OptionSpec> Specs =
    [
        OptionSpec.Value("attach", 'a', "Attach to STDIN, STDOUT or STDERR", "list"),
        OptionSpec.Flag("interactive", 'i', "Keep STDIN open even if not attached"),
        OptionSpec.Flag("tty", 't', "Allocate a pseudo-TTY"),
        OptionSpec.Value("name", null, "Assign a name to the container"),
        OptionSpec.Value("env", 'e', "Set environment variables", "list"),
        OptionSpec.Value("env-file", null, "Read in a file of environment variables", "list"),
        OptionSpec.Value("workdir", 'w', "Working directory inside the container"),
        OptionSpec.Value("user", 'u', "Username or UID (format: <name|uid>[:<group|gid>])"),
        OptionSpec.Value("entrypoint", null, "Overwrite the default ENTRYPOINT of the image"),
        OptionSpec.Value("hostname", 'h', "Container host name"),
        OptionSpec.Value("domainname", null, "Container NIS domain name"),
        OptionSpec.Value("label", 'l', "Set meta data on a container", "list"),
        OptionSpec.Flag("read-only", null, "Mount the container's root filesystem as read only"),
        OptionSpec.Value("pull", null, "Pull image before running (\"always\", \"missing\", \"never\")", "string", "missing"),
        OptionSpec.Value("volume", 'v', "Bind mount a volume", "list"),
        OptionSpec.Value("publish", 'p', "Publish a container's port(s) to the host", "list"),
        OptionSpec.Flag("publish-all", 'P', "Publish all exposed ports to random ports"),
        OptionSpec.Value("expose", null, "Expose a port or a range of ports", "list"),
        OptionSpec.Value("network", null, "Connect a container to a network", "network"),
        OptionSpec.Value("net", null, "Connect a container to a network"),
        OptionSpec.Value("ip", null, "IPv4 address (e.g., 172.30.100.104)"),
        OptionSpec.Value("ip6", null, "IPv6 address (e.g., 2001:db8::33)"),
        OptionSpec.Value("network-alias", null, "Add network-scoped alias for the container", "list"),
        OptionSpec.Value("link", null, "Add link to another container", "list"),
        OptionSpec.Value("restart", null, "Restart policy to apply when a container exits", "string", "no"),
        OptionSpec.Flag("privileged", null, "Give extended privileges to this container"),
        OptionSpec.Value("cap-add", null, "Add Linux capabilities", "list"),
        OptionSpec.Value("cap-drop", null, "Drop Linux capabilities", "list"),
        OptionSpec.Value("memory", 'm', "Memory limit", "bytes"),
        OptionSpec.Value("memory-swap", null, "Swap limit equal to memory plus swap: '-1' to enable unlimited swap", "bytes"),
        OptionSpec.Value("memory-reservation", null, "Memory soft limit", "bytes"),
        OptionSpec.Value("cpus", null, "Number of CPUs", "decimal"),
        OptionSpec.Value("cpu-shares", 'c', "CPU shares (relative weight)", "int"),
        OptionSpec.Value("cpuset-cpus", null, "CPUs in which to allow execution (0-3, 0,1)"),
        OptionSpec.Value("cpuset-mems", null, "MEMs in which to allow execution (0-3, 0,1)"),
        OptionSpec.Value("cpu-period", null, "Limit CPU CFS (Completely Fair Scheduler) period", "int"),
        OptionSpec.Value("cpu-quota", null, "Limit CPU CFS (Completely Fair Scheduler) quota", "int"),
        OptionSpec.Value("blkio-weight", null, "Block IO (relative weight), between 10 and 1000, or 0 to disable", "uint16", "0"),
        OptionSpec.Value("memory-swappiness", null, "Tune container memory swappiness (0 to 100)", "int", "-1"),
        OptionSpec.Value("pids-limit", null, "Tune container pids limit (set -1 for unlimited)", "int"),
        OptionSpec.Value("tmpfs", null, "Mount a tmpfs directory", "list"),
        OptionSpec.Value("mount", null, "Attach a filesystem mount to the container", "mount"),
        OptionSpec.Value("volume-driver", null, "Optional volume driver for the container"),
        OptionSpec.Value("add-host", null, "Add a custom host-to-IP mapping (host:ip)", "list"),
        OptionSpec.Value("dns", null, "Set custom DNS servers", "list"),
        OptionSpec.Value("dns-search", null, "Set custom DNS search domains", "list"),
        OptionSpec.Value("dns-option", null, "Set DNS options", "list"),
        OptionSpec.Flag("init", null, "Run an init inside the container that forwards signals and reaps processes"),
        OptionSpec.Value("stop-signal", null, "Signal to stop the container"),
        OptionSpec.Value("stop-timeout", null, "Timeout (in seconds) to stop a container", "int"),
        OptionSpec.Value("shm-size", null, "Size of /dev/shm", "bytes"),
        OptionSpec.Value("security-opt", null, "Security Options", "list"),
        OptionSpec.Value("sysctl", null, "Sysctl options", "map", "map[]"),
        OptionSpec.Value("ulimit", null, "Ulimit options", "ulimit", "[]"),
        OptionSpec.Value("pid", null, "PID namespace to use"),
        OptionSpec.Value("ipc", null, "IPC mode to use"),
        OptionSpec.Value("uts", null, "UTS namespace to use"),
        OptionSpec.Value("userns", null, "User namespace to use"),
        OptionSpec.Value("cgroupns", null, "Cgroup namespace to use (host|private)"),
        OptionSpec.Value("group-add", null, "Add additional groups to join", "list"),
        OptionSpec.Value("platform", null, "Set platform if server is multi-platform capable"),
        OptionSpec.Value("log-driver", null, "Logging driver for the container"),
        OptionSpec.Value("log-opt", null, "Log driver options", "list"),
        OptionSpec.Value("device", null, "Add a host device to the container", "list"),
        OptionSpec.Value("volumes-from", null, "Mount volumes from the specified container(s)", "list"),
        OptionSpec.Value("mac-address", null, "Container MAC address"),
        OptionSpec.Value("runtime", null, "Runtime to use for this container"),
        OptionSpec.Flag("oom-kill-disable", null, "Disable OOM Killer"),
        OptionSpec.Value("oom-score-adj", null, "Tune host's OOM preferences (-1000 to 1000)", "int"),
        OptionSpec.Value("health-cmd", null, "Command to run to check health"),
        OptionSpec.Value("health-interval", null, "Time between running the check", "duration", "0s"),
        OptionSpec.Value("health-timeout", null, "Maximum time to allow one check to run", "duration", "0s"),
        OptionSpec.Value("health-retries", null, "Consecutive failures needed to report unhealthy", "int"),
        OptionSpec.Value("health-start-period", null, "Start period for the container to initialize", "duration", "0s"),
        OptionSpec.Value("health-start-interval", null, "Time between running the check during the start period", "duration", "0s"),
        OptionSpec.Flag("no-healthcheck", null, "Disable any container-specified HEALTHCHECK"),
        OptionSpec.Value("cidfile", null, "Write the container ID to the file"),
        OptionSpec.Value("label-file", null, "Read in a line delimited file of labels", "list"),
        OptionSpec.Flag("quiet", 'q', "Suppress the pull output"),
        OptionSpec.Value("annotation", null, "Add an annotation to the container (passed through to the OCI runtime)", "map", "map[]"),
        OptionSpec.Value("device-cgroup-rule", null, "Add a rule to the cgroup allowed devices list", "list"),
        OptionSpec.Value("cgroup-parent", null, "Optional parent cgroup for the container"),
        OptionSpec.Value("blkio-weight-device", null, "Block IO weight (relative device weight)", "list", "[]"),
        OptionSpec.Value("device-read-bps", null, "Limit read rate (bytes per second) from a device", "list", "[]"),
        OptionSpec.Value("device-write-bps", null, "Limit write rate (bytes per second) to a device", "list", "[]"),
        OptionSpec.Value("device-read-iops", null, "Limit read rate (IO per second) from a device", "list", "[]"),
        OptionSpec.Value("device-write-iops", null, "Limit write rate (IO per second) to a device", "list", "[]"),
        OptionSpec.Value("cpu-rt-period", null, "Limit CPU real-time period in microseconds", "int"),
        OptionSpec.Value("cpu-rt-runtime", null, "Limit CPU real-time runtime in microseconds", "int"),
        OptionSpec.Value("link-local-ip", null, "Container IPv4/IPv6 link-local addresses", "list"),
        OptionSpec.Value("storage-opt", null, "Storage driver options for the container", "list"),
        OptionSpec.Flag("use-api-socket", null, "Bind mount Docker API socket and required auth"),
        OptionSpec.Value("cpu-count", null, "CPU count (Windows only)", "int"),
        OptionSpec.Value("cpu-percent", null, "CPU percent (Windows only)", "int"),
        OptionSpec.Value("io-maxbandwidth", null, "Maximum IO bandwidth limit for the system drive (Windows only)", "bytes"),
        OptionSpec.Value("io-maxiops", null, "Maximum IOps limit for the system drive (Windows only)", "uint"),
        OptionSpec.Value("isolation", null, "Container isolation technology"),
        OptionSpec.Value("kernel-memory", null, "Kernel memory limit", "bytes"),
        ContentTrust.Option,
    ];

    public static IReadOnlyList<OptionSpec> RunSpecs { get; } =
    [
        OptionSpec.Flag("detach", 'd', "Run container in background and print container ID"),
        OptionSpec.Flag("rm", null, "Automatically remove the container and its associated anonymous volumes when it exits"),
        OptionSpec.Flag("sig-proxy", null, "Proxy received signals to the process", "true"),
        OptionSpec.Value("detach-keys", null, "Override the key sequence for detaching a container"),
        .. Specs,
    ];

    public static IReadOnlyList<OptionSpec> CreateSpecs { get; } =
    [
        OptionSpec.Flag("rm", null, "Automatically remove the container and its associated anonymous volumes when it exits"),
        .. Specs,
    ];

    /// <summary>Builds the create body from parsed flags; positionals are IMAGE [COMMAND] [ARG...].</summary>
    public static ContainerCreateRequest Build(ParsedArgs args, bool detach, Func<string, string?> environment, Func<string, IEnumerable<string>> readLines)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(readLines);
        if (args.Positionals.Count == 0)
        {
            throw new CliUsageException("requires at least 1 argument", 125);
        }

        ContentTrust.RefuseVerification(args);
        var interactive = args.Flag("interactive");
        var attach = args.Values("attach").Select(a => a.ToLowerInvariant()).ToList();
        foreach (var stream in attach)
        {
            if (stream is not ("stdin" or "stdout" or "stderr"))
            {
                throw new CliUsageException($"invalid argument \"{stream}\" for \"-a, --attach\" flag: valid streams are STDIN, STDOUT and STDERR");
            }
        }

        if (detach && attach.Count > 0)
        {
            throw new CliUsageException("Conflicting options: -a and -d", 125);
        }

        var request = new ContainerCreateRequest
        {
            Hostname = args.Value("hostname") ?? "",
            Domainname = args.Value("domainname") ?? "",
            User = args.Value("user") ?? "",
            AttachStdin = !detach && (attach.Count > 0 ? attach.Contains("stdin") : interactive),
            AttachStdout = !detach && (attach.Count == 0 || attach.Contains("stdout")),
            AttachStderr = !detach && (attach.Count == 0 || attach.Contains("stderr")),
            Tty = args.Flag("tty"),
            OpenStdin = interactive,
            Image = args.Positionals[0],
            Cmd = args.Positionals.Count > 1 ? args.Positionals.Skip(1).ToList() : null,
            WorkingDir = args.Value("workdir") ?? "",
            Labels = ParseLabels([.. args.Values("label-file").SelectMany(file => EnvFile.Parse(readLines(file), lookup: null)), .. args.Values("label")]),
            StopSignal = args.Value("stop-signal"),
            StopTimeout = args.Int("stop-timeout"),
            MacAddress = args.Value("mac-address"),
            Volumes = null,
        };
        request.StdinOnce = request.OpenStdin && request.AttachStdin;

        var env = new List<string>();
        foreach (var file in args.Values("env-file"))
        {
            env.AddRange(EnvFile.Parse(readLines(file), environment));
        }

        foreach (var item in args.Values("env"))
        {
            if (EnvFile.ExpandEnvArg(item, environment) is { } expanded)
            {
                env.Add(expanded);
            }
        }

        request.Env = env;

        if (args.Value("entrypoint") is { } entrypoint)
        {
            request.Entrypoint = [entrypoint];
        }

        var host = new HostConfig
        {
            NetworkMode = args.Value("network") ?? args.Value("net") ?? "default",
            AutoRemove = args.Flag("rm"),
            RestartPolicy = ParseRestart(args.Value("restart")),
            ReadonlyRootfs = args.Flag("read-only"),
            Privileged = args.Flag("privileged"),
            PublishAllPorts = args.Flag("publish-all"),
            CapAdd = NullIfEmpty(args.Values("cap-add")),
            CapDrop = NullIfEmpty(args.Values("cap-drop")),
            Dns = [.. args.Values("dns")],
            DnsSearch = [.. args.Values("dns-search")],
            DnsOptions = [.. args.Values("dns-option")],
            ExtraHosts = NullIfEmpty(args.Values("add-host")),
            Links = NullIfEmpty(args.Values("link")),
            GroupAdd = NullIfEmpty(args.Values("group-add")),
            SecurityOpt = NullIfEmpty(SecurityOptFiles.Load(args.Values("security-opt"))),
            VolumesFrom = NullIfEmpty(args.Values("volumes-from")),
            PidMode = args.Value("pid") ?? "",
            IpcMode = args.Value("ipc") ?? "",
            UTSMode = args.Value("uts") ?? "",
            UsernsMode = args.Value("userns") ?? "",
            CgroupnsMode = args.Value("cgroupns") ?? "",
            Runtime = args.Value("runtime"),
            OomScoreAdj = args.Int("oom-score-adj") ?? 0,
            OomKillDisable = args.Has("oom-kill-disable") ? args.Flag("oom-kill-disable") : null,
            Init = args.Has("init") ? args.Flag("init") : null,
            LogConfig = new LogConfig { Type = args.Value("log-driver") ?? "", Config = ParseKeyValues(args.Values("log-opt"), "log-opt") },
            ConsoleSize = [0, 0],
            CpuShares = args.Int("cpu-shares") ?? 0,
            CpusetCpus = args.Value("cpuset-cpus") ?? "",
            CpusetMems = args.Value("cpuset-mems") ?? "",
            CpuPeriod = args.Value("cpu-period") is { } cpuPeriod ? long.Parse(cpuPeriod, CultureInfo.InvariantCulture) : 0,
            CpuQuota = args.Value("cpu-quota") is { } cpuQuota ? long.Parse(cpuQuota, CultureInfo.InvariantCulture) : 0,
            BlkioWeight = args.Int("blkio-weight") ?? 0,
            MemorySwappiness = args.Value("memory-swappiness") is { } swappiness ? long.Parse(swappiness, CultureInfo.InvariantCulture) : null,
            PidsLimit = args.Value("pids-limit") is { } pids ? long.Parse(pids, CultureInfo.InvariantCulture) : null,
            Memory = args.Value("memory") is { } memory ? ByteSize.Parse(memory, "--memory") : 0,
            MemoryReservation = args.Value("memory-reservation") is { } reservation ? ByteSize.Parse(reservation, "--memory-reservation") : 0,
            MemorySwap = args.Value("memory-swap") is { } swap ? (swap == "-1" ? -1 : ByteSize.Parse(swap, "--memory-swap")) : 0,
            ShmSize = args.Value("shm-size") is { } shm ? ByteSize.Parse(shm, "--shm-size") : 0,
            NanoCpus = args.Value("cpus") is { } cpus ? ParseCpus(cpus) : 0,
            Sysctls = NullIfEmpty(ParseKeyValues(args.Values("sysctl"), "sysctl")),
            Ulimits = NullIfEmpty(args.Values("ulimit").Select(ParseUlimit).ToList()),
            Devices = NullIfEmpty(args.Values("device").Select(ParseDevice).ToList()),
            ContainerIDFile = args.Value("cidfile") ?? "",
            Annotations = NullIfEmpty(ParseMap(args.Values("annotation"))),
            DeviceCgroupRules = NullIfEmpty(args.Values("device-cgroup-rule").Select(ValidateDeviceCgroupRule)),
            CgroupParent = args.Value("cgroup-parent") ?? "",
            BlkioWeightDevice = NullIfEmpty(args.Values("blkio-weight-device").Select(BlkioDeviceFlags.Weight)),
            BlkioDeviceReadBps = NullIfEmpty(args.Values("device-read-bps").Select(d => BlkioDeviceFlags.Bps(d, "device-read-bps"))),
            BlkioDeviceWriteBps = NullIfEmpty(args.Values("device-write-bps").Select(d => BlkioDeviceFlags.Bps(d, "device-write-bps"))),
            BlkioDeviceReadIOps = NullIfEmpty(args.Values("device-read-iops").Select(d => BlkioDeviceFlags.Iops(d, "device-read-iops"))),
            BlkioDeviceWriteIOps = NullIfEmpty(args.Values("device-write-iops").Select(d => BlkioDeviceFlags.Iops(d, "device-write-iops"))),
            CpuRealtimePeriod = Long(args.Value("cpu-rt-period"), "cpu-rt-period"),
            CpuRealtimeRuntime = Long(args.Value("cpu-rt-runtime"), "cpu-rt-runtime"),
            StorageOpt = NullIfEmpty(ParseStorageOpts(args.Values("storage-opt"))),
            CpuCount = Long(args.Value("cpu-count"), "cpu-count"),
            CpuPercent = Long(args.Value("cpu-percent"), "cpu-percent"),
            IOMaximumBandwidth = args.Value("io-maxbandwidth") is { } bandwidth ? ByteSize.Parse(bandwidth, "--io-maxbandwidth") : 0,
            IOMaximumIOps = args.Value("io-maxiops") is { } iops ? UnsignedLong(iops, "io-maxiops") : 0,
            Isolation = args.Value("isolation") ?? "",
            KernelMemory = args.Value("kernel-memory") is { } kernelMemory ? ByteSize.Parse(kernelMemory, "--kernel-memory") : null,
        };

        var tmpfs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in args.Values("tmpfs"))
        {
            var colon = spec.IndexOf(':', StringComparison.Ordinal);
            tmpfs[colon < 0 ? spec : spec[..colon]] = colon < 0 ? "" : spec[(colon + 1)..];
        }

        host.Tmpfs = NullIfEmpty(tmpfs);
        host.Mounts = NullIfEmpty(args.Values("mount").Select(MountFlag.Parse).ToList());
        host.VolumeDriver = args.Value("volume-driver") ?? "";

        var binds = new List<string>();
        var volumes = new Dictionary<string, EmptyObject>(StringComparer.Ordinal);
        foreach (var volume in args.Values("volume"))
        {
            if (volume.Contains(':', StringComparison.Ordinal))
            {
                binds.Add(volume);
            }
            else
            {
                volumes[volume] = new EmptyObject();
            }
        }

        host.Binds = NullIfEmpty(binds);
        request.Volumes = NullIfEmpty(volumes);

        var exposed = new Dictionary<string, EmptyObject>(StringComparer.Ordinal);
        foreach (var port in args.Values("expose"))
        {
            exposed[WithProtocol(port)] = new EmptyObject();
        }

        var bindings = new Dictionary<string, List<PortBinding>?>(StringComparer.Ordinal);
        foreach (var (containerPort, binding) in args.Values("publish").SelectMany(PublishRanges.Expand))
        {
            exposed[containerPort] = new EmptyObject();
            if (!bindings.TryGetValue(containerPort, out var list) || list is null)
            {
                list = [];
                bindings[containerPort] = list;
            }

            list.Add(binding);
        }

        request.ExposedPorts = NullIfEmpty(exposed);
        host.PortBindings = bindings;

        request.Healthcheck = HealthOptions.Parse(args);

        request.HostConfig = host;
        if (host.AutoRemove && host.RestartPolicy is { Name: not (null or "" or "no") })
        {
            throw new CliUsageException("conflicting options: cannot specify both --restart and --rm", 125);
        }

        var networkName = host.NetworkMode;
        request.NetworkingConfig = new NetworkingConfig
        {
            EndpointsConfig = new Dictionary<string, EndpointSettings>(StringComparer.Ordinal)
            {
                [networkName] = new EndpointSettings
                {
                    IPAMConfig = args.Value("ip") is null && args.Value("ip6") is null && args.Values("link-local-ip").Count == 0
                        ? null
                        : new EndpointIpamConfig { IPv4Address = args.Value("ip"), IPv6Address = args.Value("ip6"), LinkLocalIPs = NullIfEmpty(args.Values("link-local-ip")) },
                    Aliases = args.Values("network-alias").Count > 0 ? [.. args.Values("network-alias")] : null,
                },
            },
        };
        return request;
    }

    internal static (string ContainerPort, PortBinding Binding) ParsePublish(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var protocol = "tcp";
        var body = spec;
        var slash = spec.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = spec[(slash + 1)..];
            body = spec[..slash];
        }

        string hostIp = "";
        string hostPort = "";
        string containerPort;
        var lastColon = body.LastIndexOf(':');
        if (lastColon < 0)
        {
            containerPort = body;
        }
        else
        {
            containerPort = body[(lastColon + 1)..];
            var hostPart = body[..lastColon];
            var ipColon = hostPart.LastIndexOf(':');
            if (hostPart.StartsWith('['))
            {
                var close = hostPart.IndexOf(']', StringComparison.Ordinal);
                hostIp = hostPart[1..close];
                hostPort = hostPart[(close + 1)..].TrimStart(':');
            }
            else if (ipColon >= 0)
            {
                hostIp = hostPart[..ipColon];
                hostPort = hostPart[(ipColon + 1)..];
            }
            else
            {
                hostPort = hostPart;
            }
        }

        if (!PublishRanges.TryParse(containerPort, out var firstPort, out _) || firstPort == 0)
        {
            throw new CliUsageException($"invalid argument \"{spec}\" for \"-p, --publish\" flag: invalid containerPort: {containerPort}");
        }

        return (containerPort + "/" + protocol, new PortBinding { HostIp = hostIp, HostPort = hostPort });
    }

    private static string WithProtocol(string port) => port.Contains('/', StringComparison.Ordinal) ? port : port + "/tcp";

    internal static RestartPolicy ParseRestart(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return new RestartPolicy { Name = "no" };
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? value : value[..colon];
        if (name is not ("no" or "always" or "unless-stopped" or "on-failure"))
        {
            throw new CliUsageException($"invalid restart policy format: {value}");
        }

        var retries = colon < 0 ? 0 : int.Parse(value[(colon + 1)..], CultureInfo.InvariantCulture);
        return new RestartPolicy { Name = name, MaximumRetryCount = retries };
    }

    private static Dictionary<string, string> ParseLabels(IReadOnlyList<string> labels)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            var eq = label.IndexOf('=', StringComparison.Ordinal);
            result[eq < 0 ? label : label[..eq]] = eq < 0 ? "" : label[(eq + 1)..];
        }

        return result;
    }

    /// <summary>--annotation: "key=value", or "key" alone for an empty value (docker's MapOpts).</summary>
    private static Dictionary<string, string> ParseMap(IReadOnlyList<string> items)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            result[eq < 0 ? item : item[..eq]] = eq < 0 ? "" : item[(eq + 1)..];
        }

        return result;
    }

    /// <summary>--storage-opt "size=10G": every option needs a '=' (docker's parseStorageOpts).</summary>
    private static Dictionary<string, string> ParseStorageOpts(IReadOnlyList<string> items)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw new CliUsageException("invalid storage option");
            }

            result[item[..eq]] = item[(eq + 1)..];
        }

        return result;
    }

    /// <summary>"TYPE MAJOR:MINOR ACCESS", checked by the CLI as docker checks it, before anything is sent.</summary>
    private static string ValidateDeviceCgroupRule(string rule) =>
        DeviceCgroupRuleGrammar().IsMatch(rule)
            ? rule
            : throw new CliUsageException($"invalid argument \"{rule}\" for \"--device-cgroup-rule\" flag: invalid device cgroup format '{rule}'");

    [GeneratedRegex(@"^[acb] ([0-9]+|\*):([0-9]+|\*) [rwm]{1,3}$")]
    private static partial Regex DeviceCgroupRuleGrammar();

    internal static long Long(string? text, string flag) =>
        text is null
            ? 0
            : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new CliUsageException($"invalid argument \"{text}\" for \"--{flag}\" flag: strconv.ParseInt: parsing \"{text}\": invalid syntax");

    private static long UnsignedLong(string text, string flag) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= long.MaxValue
            ? (long)value
            : throw new CliUsageException($"invalid argument \"{text}\" for \"--{flag}\" flag: strconv.ParseUint: parsing \"{text}\": invalid syntax");

    private static Dictionary<string, string> ParseKeyValues(IReadOnlyList<string> items, string flag)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new CliUsageException($"invalid argument \"{item}\" for \"--{flag}\" flag: expected key=value");
            }

            result[item[..eq]] = item[(eq + 1)..];
        }

        return result;
    }

    internal static Ulimit ParseUlimit(string spec)
    {
        var eq = spec.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new CliUsageException($"invalid argument \"{spec}\" for \"--ulimit\" flag: invalid ulimit argument: {spec}");
        }

        var limits = spec[(eq + 1)..].Split(':');
        var soft = long.Parse(limits[0], CultureInfo.InvariantCulture);
        var hard = limits.Length > 1 ? long.Parse(limits[1], CultureInfo.InvariantCulture) : soft;
        return new Ulimit { Name = spec[..eq], Soft = soft, Hard = hard };
    }

    private static DeviceMapping ParseDevice(string spec)
    {
        var parts = spec.Split(':');
        return new DeviceMapping
        {
            PathOnHost = parts[0],
            PathInContainer = parts.Length > 1 && parts[1].StartsWith('/') ? parts[1] : parts[0],
            CgroupPermissions = parts.Length > 2 ? parts[2] : parts.Length == 2 && !parts[1].StartsWith('/') ? parts[1] : "rwm",
        };
    }

    internal static long ParseCpus(string text) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cpus)
            ? (long)(cpus * 1_000_000_000m)
            : throw new CliUsageException($"invalid argument \"{text}\" for \"--cpus\" flag: failed to parse {text} as a rational number");

    private static List<T>? NullIfEmpty<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? null : list;
    }

    private static Dictionary<string, T>? NullIfEmpty<T>(Dictionary<string, T> items) => items.Count == 0 ? null : items;
}
