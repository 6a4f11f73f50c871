using System.Globalization;
using Wharf.Core.Errors;

namespace Wharf.Cluster;

/// <summary>`--cluster-store-opt` / daemon.json `cluster-store-opts`, with Docker's keys: kv.cacertfile, kv.certfile and
/// kv.keyfile (TLS to etcd, with a client certificate), discovery.ttl and discovery.heartbeat (seconds: how long a
/// daemon's registration outlives its last keep-alive, and how often it renews it). Unknown keys are refused, so a
/// typo does not silently turn TLS off.</summary>
public sealed record ClusterStoreOptions
{
    public string? CaCertFile { get; init; }
    public string? CertFile { get; init; }
    public string? KeyFile { get; init; }
    public TimeSpan NodeTtl { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>True when etcd is spoken to over TLS (any of the kv.* files given).</summary>
    public bool UsesTls => CaCertFile is not null || CertFile is not null || KeyFile is not null;

    public static ClusterStoreOptions Parse(IReadOnlyDictionary<string, string> options)
    {
        var result = new ClusterStoreOptions();
        foreach (var (key, value) in options)
        {
            result = key switch
            {
                "kv.cacertfile" => result with { CaCertFile = File(key, value) },
                "kv.certfile" => result with { CertFile = File(key, value) },
                "kv.keyfile" => result with { KeyFile = File(key, value) },
                "discovery.ttl" => result with { NodeTtl = Seconds(key, value) },
                "discovery.heartbeat" => result with { Heartbeat = Seconds(key, value) },
                _ => throw EngineException.Invalid($"unsupported cluster-store-opt \"{key}\""),
            };
        }

        if ((result.CertFile is null) != (result.KeyFile is null))
        {
            throw EngineException.Invalid("cluster-store-opts kv.certfile and kv.keyfile must be given together");
        }

        if (result.Heartbeat >= result.NodeTtl)
        {
            throw EngineException.Invalid(
                $"cluster-store-opt discovery.heartbeat ({result.Heartbeat.TotalSeconds}s) must be shorter than discovery.ttl ({result.NodeTtl.TotalSeconds}s)");
        }

        return result;
    }

    private static string File(string key, string value) =>
        value.Length > 0 ? value : throw EngineException.Invalid($"cluster-store-opt {key} needs a file path");

    private static TimeSpan Seconds(string key, string value)
    {
        var text = value.EndsWith('s') ? value[..^1] : value;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : throw EngineException.Invalid($"cluster-store-opt {key}: \"{value}\" is not a positive number of seconds");
    }
}
