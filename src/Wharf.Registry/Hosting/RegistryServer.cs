using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Wharf.Registry.Auth;
using Wharf.Registry.Distribution;
using Wharf.Registry.Http;
using Wharf.Registry.Storage;

namespace Wharf.Registry.Hosting;

/// <summary>A running registry: Kestrel on <see cref="RegistryOptions.Listen"/> serving the distribution API.
/// Usable standalone (Program) and hosted in tests or another process.</summary>
public sealed class RegistryServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RegistryServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>"http://127.0.0.1:PORT" (or https) with the port actually bound.</summary>
    public Uri BaseAddress { get; }

    public static async Task<RegistryServer> StartAsync(RegistryOptions options, IStorageDriver? storage = null, CancellationToken ct = default)
    {
        // Content root = our install dir and no config reload: by default the host watches the working directory
        // recursively for appsettings changes, an inotify watch on every directory below it (a data root among them).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        var endpoint = ParseListen(options.Listen);
        X509Certificate2? certificate = null;
        if (options.TlsCertificate is not null)
        {
            if (options.TlsKey is null) throw new ArgumentException("a TLS certificate needs its key (--tls-key)");
            using var pem = X509Certificate2.CreateFromPemFile(options.TlsCertificate, options.TlsKey);
            // Kestrel needs the key in a form it can use on Linux: round-trip through PKCS#12.
            certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
            kestrel.Listen(endpoint, listen =>
            {
                if (certificate is not null) listen.UseHttps(certificate);
            });
        });

        var time = TimeProvider.System;
        var store = new RegistryStore(storage ?? CreateStorage(options), time);
        var metrics = new RegistryMetrics();
        var (access, tokenEndpoint) = CreateAccess(options, time);
        var handler = new RegistryHandler(store, access, metrics, options.ReadOnly);

        var app = builder.Build();
        app.Run(context =>
        {
            if (tokenEndpoint is not null && context.Request.Path == TokenAccessController.TokenPath) return tokenEndpoint.HandleAsync(context);
            return handler.HandleAsync(context);
        });
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RegistryServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public Task WaitForShutdownAsync(CancellationToken ct) => _app.WaitForShutdownAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    internal static IStorageDriver CreateStorage(RegistryOptions options) => options.Storage switch
    {
        "inmemory" => new InMemoryStorageDriver(),
        "filesystem" => new FileSystemStorageDriver(options.Root),
        _ => throw new ArgumentException($"unknown storage driver \"{options.Storage}\" (filesystem or inmemory)"),
    };

    private static (IAccessController Access, TokenEndpoint? Token) CreateAccess(RegistryOptions options, TimeProvider time)
    {
        var users = options.HtpasswdPath is null ? null : HtpasswdFile.Load(options.HtpasswdPath);
        switch (options.Auth)
        {
            case "none":
                return (new AllowAllAccessController(), null);
            case "htpasswd":
                return (new HtpasswdAccessController(users ?? throw new ArgumentException("htpasswd auth needs --htpasswd FILE"), options.Realm), null);
            case "token":
                // Without users the token endpoint hands every caller whatever scope it asks for: an open registry
                // that only looks protected. Refuse to start rather than serve that.
                if (users is null) throw new ArgumentException("token auth needs users to check (--htpasswd FILE); without them anyone could get a push token");
                var key = options.TokenSecret is { Length: > 0 } secret ? Encoding.UTF8.GetBytes(secret) : RandomNumberGenerator.GetBytes(32);
                var tokens = new TokenService(key, options.TokenIssuer, options.TokenService, time);
                return (new TokenAccessController(tokens, options.TokenRealm), new TokenEndpoint(tokens, users, time));
            default:
                throw new ArgumentException($"unknown auth \"{options.Auth}\" (none, htpasswd or token)");
        }
    }

    private static IPEndPoint ParseListen(string listen)
    {
        var colon = listen.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(listen[(colon + 1)..], out var port)) throw new ArgumentException($"invalid listen address \"{listen}\" (want host:port)");
        var host = listen[..colon].Trim('[', ']');
        var address = host.Length == 0 || host == "0.0.0.0" ? IPAddress.Any
            : host == "localhost" ? IPAddress.Loopback
            : IPAddress.Parse(host);
        return new IPEndPoint(address, port);
    }
}
