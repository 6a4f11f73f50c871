using System.Text.Json;

namespace Wharf.Daemon.Configuration;

/// <summary>Reads daemon.json and the command line into <see cref="DaemonSettings"/>.</summary>
internal static class DaemonSettingsLoader
{
    public static DaemonSettings Load(IReadOnlyList<string> args)
    {
        var flags = ParseFlags(args);
        var configFile = flags.Single.GetValueOrDefault("--config-file") ?? DaemonSettings.DefaultConfigFile;
        var settings = File.Exists(configFile) ? FromJson(File.ReadAllText(configFile)) : new DaemonSettings();
        settings = settings with { ConfigFile = configFile };

        if (flags.Single.TryGetValue("--data-root", out var dataRoot)) settings = settings with { DataRoot = dataRoot };
        if (flags.Single.TryGetValue("--exec-root", out var execRoot)) settings = settings with { ExecRoot = execRoot };
        if (flags.Single.TryGetValue("--runtime", out var runtime)) settings = settings with { Runtime = runtime };
        if (flags.Single.TryGetValue("--shim", out var shim)) settings = settings with { ShimPath = shim };
        if (flags.Single.TryGetValue("--pidfile", out var pid) || flags.Single.TryGetValue("-p", out pid)) settings = settings with { PidFile = pid };
        if (flags.Switches.Contains("--debug") || flags.Switches.Contains("-D")) settings = settings with { Debug = true };
        if (flags.Switches.Contains("--experimental")) settings = settings with { Experimental = true };
        else if (flags.Single.TryGetValue("--experimental", out var experimental) && experimental is "false" or "0") settings = settings with { Experimental = false };
        if (flags.Hosts.Count > 0) settings = settings with { Hosts = flags.Hosts };
        settings = settings with { Tls = ApplyTlsFlags(settings.Tls, flags.Single, flags.Switches) };
        if (flags.Single.TryGetValue("--cgroup-parent", out var cgroupParent)) settings = settings with { CgroupParent = cgroupParent };
        if (flags.Single.TryGetValue("--default-cgroupns-mode", out var cgroupns)) settings = settings with { DefaultCgroupnsMode = cgroupns };
        if (flags.Single.TryGetValue("--cluster-store", out var store)) settings = settings with { ClusterStore = store };
        if (flags.Single.TryGetValue("--cluster-advertise", out var advertise)) settings = settings with { ClusterAdvertise = advertise };
        if (flags.StoreOpts.Count > 0)
        {
            var opts = new Dictionary<string, string>(settings.ClusterStoreOpts, StringComparer.Ordinal);
            foreach (var (k, v) in flags.StoreOpts) opts[k] = v;
            settings = settings with { ClusterStoreOpts = opts };
        }
        if (settings.DefaultCgroupnsMode is not null and not "host" and not "private")
            throw new ArgumentException($"invalid default cgroup namespace ({settings.DefaultCgroupnsMode}): must be either \"host\" or \"private\"");
        ValidateCluster(settings);
        return settings;
    }

    /// <summary>As dockerd: an advertise address means nothing without a store. The URL and options themselves are
    /// checked when the daemon opens the store.</summary>
    public static void ValidateCluster(DaemonSettings settings)
    {
        if (settings.ClusterAdvertise is not null && string.IsNullOrEmpty(settings.ClusterStore))
            throw new ArgumentException("invalid cluster configuration: --cluster-advertise must be accompanied by --cluster-store configuration");
        if (settings.ClusterStoreOpts.Count > 0 && string.IsNullOrEmpty(settings.ClusterStore))
            throw new ArgumentException("invalid cluster configuration: --cluster-store-opt must be accompanied by --cluster-store configuration");
    }

    public static DaemonSettings FromJson(string json)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("daemon.json must hold a JSON object");
        var settings = new DaemonSettings();
        foreach (var property in root.EnumerateObject())
        {
            settings = property.Name switch
            {
                "data-root" => settings with { DataRoot = property.Value.GetString()! },
                "exec-root" => settings with { ExecRoot = property.Value.GetString()! },
                "hosts" => settings with { Hosts = property.Value.EnumerateArray().Select(h => h.GetString()!).ToList() },
                "debug" => settings with { Debug = property.Value.GetBoolean() },
                "pidfile" => settings with { PidFile = property.Value.GetString() },
                "default-runtime" => settings with { Runtime = property.Value.GetString()! },
                "tls" => settings with { Tls = settings.Tls with { Enabled = property.Value.GetBoolean(), ExplicitlyDisabled = !property.Value.GetBoolean() } },
                "tlsverify" => settings with { Tls = settings.Tls with { VerifyClients = property.Value.GetBoolean() } },
                "tlscacert" => settings with { Tls = settings.Tls with { CaCertFile = property.Value.GetString()! } },
                "tlscert" => settings with { Tls = settings.Tls with { CertFile = property.Value.GetString()! } },
                "tlskey" => settings with { Tls = settings.Tls with { KeyFile = property.Value.GetString()! } },
                "log-driver" => settings with { LogDriver = property.Value.GetString()! },
                "log-opts" => settings with { LogOpts = property.Value.EnumerateObject().ToDictionary(o => o.Name, o => o.Value.GetString()!, StringComparer.Ordinal) },
                "init" => settings with { Init = property.Value.GetBoolean() },
                "experimental" => settings with { Experimental = property.Value.GetBoolean() },
                "default-cgroupns-mode" => settings with { DefaultCgroupnsMode = property.Value.GetString() },
                "init-path" => settings with { InitPath = property.Value.GetString() },
                "bridge" => settings with { Bridge = property.Value.GetString() },
                "iptables" => settings with { Iptables = property.Value.GetBoolean() },
                "detach-keys" => settings with { DetachKeys = property.Value.GetString() },
                "cgroup-parent" => settings with { CgroupParent = property.Value.GetString() },
                "cluster-store" => settings with { ClusterStore = property.Value.GetString() },
                "cluster-advertise" => settings with { ClusterAdvertise = property.Value.GetString() },
                "cluster-store-opts" => settings with { ClusterStoreOpts = property.Value.EnumerateObject().ToDictionary(o => o.Name, o => o.Value.GetString()!, StringComparer.Ordinal) },
                _ => settings, // keys of later issues (tls, registries, ...) are accepted and ignored here
            };
        }
        return settings;
    }

    /// <summary>Flags win over daemon.json; "--tls=false"/"--tlsverify=false" switch a daemon.json "true" off.</summary>
    private static TlsSettings ApplyTlsFlags(TlsSettings tls, Dictionary<string, string> single, HashSet<string> switches)
    {
        if (switches.Contains("--tls")) tls = tls with { Enabled = true, ExplicitlyDisabled = false };
        else if (single.TryGetValue("--tls", out var off) && off is "false" or "0") tls = tls with { Enabled = false, ExplicitlyDisabled = true };
        if (switches.Contains("--tlsverify")) tls = tls with { VerifyClients = true };
        else if (single.TryGetValue("--tlsverify", out var off2) && off2 is "false" or "0") tls = tls with { VerifyClients = false };
        if (single.TryGetValue("--tlscacert", out var ca)) tls = tls with { CaCertFile = ca };
        if (single.TryGetValue("--tlscert", out var cert)) tls = tls with { CertFile = cert };
        if (single.TryGetValue("--tlskey", out var key)) tls = tls with { KeyFile = key };
        return tls;
    }

    private static (Dictionary<string, string> Single, HashSet<string> Switches, List<string> Hosts, List<KeyValuePair<string, string>> StoreOpts) ParseFlags(IReadOnlyList<string> args)
    {
        var single = new Dictionary<string, string>(StringComparer.Ordinal);
        var switches = new HashSet<string>(StringComparer.Ordinal);
        var hosts = new List<string>();
        var storeOpts = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string name = arg, value;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0) { name = arg[..eq]; value = arg[(eq + 1)..]; }
            else if (name is "--debug" or "-D" or "--tls" or "--tlsverify" or "--experimental") { switches.Add(name); continue; }
            else if (i + 1 < args.Count) value = args[++i];
            else throw new ArgumentException($"flag needs an argument: {arg}");

            if (name is "-H" or "--host") hosts.Add(value);
            else if (name is "--cluster-store-opt")
            {
                var kv = value.IndexOf('=', StringComparison.Ordinal);
                if (kv <= 0) throw new ArgumentException($"invalid --cluster-store-opt \"{value}\": expected KEY=VALUE");
                storeOpts.Add(new(value[..kv], value[(kv + 1)..]));
            }
            else if (name is "--data-root" or "--exec-root" or "--runtime" or "--shim" or "--pidfile" or "-p" or "--config-file"
                     or "--tlscacert" or "--tlscert" or "--tlskey" or "--cluster-store" or "--cluster-advertise" or "--cgroup-parent" or "--default-cgroupns-mode") single[name] = value;
            else if (name is "--debug" or "--tls" or "--tlsverify" or "--experimental") { single[name] = value; if (value is "true" or "1") switches.Add(name); }
            else throw new ArgumentException($"unknown flag: {name}");
        }
        return (single, switches, hosts, storeOpts);
    }
}
