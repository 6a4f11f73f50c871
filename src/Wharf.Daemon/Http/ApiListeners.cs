using Microsoft.AspNetCore.Server.Kestrel.Core;
using Wharf.Daemon.Configuration;

namespace Wharf.Daemon.Http;

/// <summary>Kestrel on every -H address: unix sockets (made afresh) and TCP (with TLS when it is on), with the limits
/// the Engine API's long-lived streams need.</summary>
internal static class ApiListeners
{
    /// <summary>Returns the unix socket paths, filled in when the host is built (the daemon restricts and removes them).</summary>
    public static IReadOnlyList<string> Configure(IWebHostBuilder webHost, DaemonSettings settings, Action<ListenOptions>? useTls)
    {
        var unixSockets = new List<string>();
        webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            RequestBodyLimits.Apply(kestrel); // endpoints that stream archives lift it for themselves
            // Attached stdin may stay idle for hours and a producer piping into `docker import -` may be slow:
            // neither is an attack on a local socket.
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(10);
            foreach (var host in settings.Hosts)
            {
                var address = ListenAddress.Parse(host);
                if (address.UnixPath is { } path)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.Delete(path);
                    kestrel.ListenUnixSocket(path, listen => listen.Use(HalfCloseTolerantConnection.Middleware));
                    unixSockets.Add(path);
                }
                else
                {
                    kestrel.Listen(address.Endpoint!, listen =>
                    {
                        listen.Use(HalfCloseTolerantConnection.Middleware);
                        useTls?.Invoke(listen);
                    });
                }
            }
        });
        return unixSockets;
    }
}
