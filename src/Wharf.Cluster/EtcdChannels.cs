using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace Wharf.Cluster;

/// <summary>One gRPC channel per etcd member and which one is in use. A call that cannot reach the current member
/// moves on to the next (<see cref="Advance"/>), so a multi-member store survives one member going down.</summary>
internal sealed class EtcdChannels : IDisposable
{
    private readonly GrpcChannel[] _channels;
    private int _current;

    public EtcdChannels(ClusterStoreAddress address, ClusterStoreOptions options)
    {
        var scheme = options.UsesTls ? "https" : "http";
        _channels = address.Endpoints
            .Select(e => GrpcChannel.ForAddress(
                new Uri($"{scheme}://{e}"),
                new GrpcChannelOptions
                {
                    HttpHandler = CreateHandler(options),
                    DisposeHttpClient = true,
                    // gRPC backs off reconnecting up to two minutes by default: a host cut from etcd for longer than its
                    // lease would then stay away that long after the cut heals, its containers unseen by the others.
                    InitialReconnectBackoff = TimeSpan.FromMilliseconds(200),
                    MaxReconnectBackoff = TimeSpan.FromSeconds(2),
                }))
            .ToArray();
    }

    public int Count => _channels.Length;

    public GrpcChannel Current => _channels[Volatile.Read(ref _current) % _channels.Length];

    public void Advance(GrpcChannel failed)
    {
        var index = Array.IndexOf(_channels, failed);
        Interlocked.CompareExchange(ref _current, (index + 1) % _channels.Length, index);
    }

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }

    private static SocketsHttpHandler CreateHandler(ClusterStoreOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // A refused or silent member must fail a call fast enough for `docker run` to report it.
            ConnectTimeout = TimeSpan.FromSeconds(2),
            // Pings find a dead peer under a long-lived watch stream, which otherwise waits for TCP to time out.
            KeepAlivePingDelay = TimeSpan.FromSeconds(5),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            EnableMultipleHttp2Connections = true,
        };
        if (options.UsesTls)
        {
            handler.SslOptions = CreateSslOptions(options);
        }

        return handler;
    }

    private static SslClientAuthenticationOptions CreateSslOptions(ClusterStoreOptions options)
    {
        var ssl = new SslClientAuthenticationOptions();
        if (options.CertFile is not null && options.KeyFile is not null)
        {
            ssl.ClientCertificates = [X509Certificate2.CreateFromPemFile(options.CertFile, options.KeyFile)];
        }

        if (options.CaCertFile is not null)
        {
            // Trust exactly the given CA (as Docker's kv.cacertfile does), not the system store.
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(options.CaCertFile);
            ssl.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            ssl.CertificateChainPolicy.CustomTrustStore.AddRange(authorities);
        }

        return ssl;
    }
}
