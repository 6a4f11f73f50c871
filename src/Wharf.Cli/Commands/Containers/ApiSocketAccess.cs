using System.Formats.Tar;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Wharf.Api.Client;
using Wharf.Api.Containers;
using Wharf.Cli.Registry;

namespace Wharf.Cli.Commands.Containers;

/// <summary>
/// --use-api-socket, as docker CLI 28 does it: the engine's socket is bind-mounted at /var/run/docker.sock, and
/// unless the container's environment already names a DOCKER_CONFIG, the saved registry logins are written into the
/// created container at /run/secrets/docker/config.json with DOCKER_CONFIG pointing there, so a docker (or wharf)
/// client inside can reach the engine and the registries as the user can.
/// </summary>
internal static class ApiSocketAccess
{
    public const string TargetInContainer = "/var/run/docker.sock";
    public const string ConfigPathInContainer = "/run/secrets/docker/config.json";

    /// <summary>The socket to mount: the one this CLI talks to when that is a local unix socket; otherwise the engine's
    /// default socket, which is where the daemon listens on its own host (docker hard-codes its default the same way).</summary>
    public static string SocketPath(DockerEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.Kind == EndpointKind.Unix ? endpoint.SocketPath : DockerEndpoint.DefaultSocketPath;
    }

    /// <summary>Adds the socket mount and, when there are logins to hand over, the DOCKER_CONFIG variable. Returns the
    /// config.json to copy into the container once it exists (null: nothing to copy).</summary>
    public static byte[]? Prepare(ContainerCreateRequest request, DockerEndpoint endpoint, DockerConfigAuth auth)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(auth);
        var host = request.HostConfig ??= new HostConfig();
        host.Mounts = [.. host.Mounts ?? [], new MountSpec { Type = "bind", Source = SocketPath(endpoint), Target = TargetInContainer, BindOptions = new MountBindOptions() }];
        // A DOCKER_CONFIG the user set means they arranged credentials themselves: none are injected (docker's rule).
        if (request.Env?.Any(e => e.StartsWith("DOCKER_CONFIG=", StringComparison.Ordinal)) == true)
        {
            return null;
        }

        var logins = auth.All();
        if (logins.Count == 0)
        {
            return null;
        }

        request.Env = [.. request.Env ?? [], "DOCKER_CONFIG=" + Path.GetDirectoryName(ConfigPathInContainer)];
        var auths = new JsonObject();
        foreach (var (server, login) in logins)
        {
            auths[server] = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login.User}:{login.Password}")) };
        }

        return Encoding.UTF8.GetBytes(new JsonObject { ["auths"] = auths }.ToJsonString() + "\n");
    }

    /// <summary>The tar PUT at "/" in the container: one file, mode 0600, as docker sends it.</summary>
    public static byte[] ConfigArchive(byte[] config)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, ConfigPathInContainer)
            {
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                DataStream = new MemoryStream(config),
            };
            writer.WriteEntry(entry);
        }

        return buffer.ToArray();
    }

    public static async Task CopyConfigAsync(EngineClient client, string id, byte[] config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var content = new ByteArrayContent(ConfigArchive(config));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var response = await client.Containers.PutArchiveAsync(id, "/", content, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
