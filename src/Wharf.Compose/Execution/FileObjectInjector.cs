using System.Formats.Tar;
using System.Globalization;
using System.Text;
using Wharf.Compose.Model;

namespace Wharf.Compose.Execution;

/// <summary>Secrets and configs that are not files on the host (environment: or content:) are written into
/// the container after it is created and before it starts, as Compose v2 does without swarm: one tar with a
/// single file at the target (mode 0444 unless mode: says otherwise, uid/gid as given), extracted at "/".
/// File-based ones are bind mounts instead (see ContainerSpecBuilder).</summary>
public static class FileObjectInjector
{
    /// <summary>What to write for one container: the target path, the tar and whether it carries uid/gid.</summary>
    public static List<(string Target, byte[] Tar, bool CopyUidGid)> Plan(ComposeProject project, ServiceConfig service)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(service);
        var result = new List<(string, byte[], bool)>();
        foreach (var (references, objects, kind) in new[] { (service.Secrets, project.Secrets, "secret"), (service.Configs, project.Configs, "config") })
        {
            foreach (var reference in references)
            {
                var item = objects[reference.Source];
                if (item.File is not null || item.External || (item.Environment is null && item.Content is null))
                {
                    continue;
                }

                if (service.ReadOnly)
                {
                    throw new ComposeException($"cannot create {kind} \"{item.Name}\" in read-only service {service.Name}: `file` is the sole supported option");
                }

                var content = item.Environment is { } variable
                    ? item.EnvironmentValue ?? throw new ComposeException($"environment variable \"{variable}\" required by {kind} \"{item.Name}\" is not set")
                    : item.Content!;
                result.Add((reference.Target, Tar(reference, content), reference.Uid is not null || reference.Gid is not null));
            }
        }

        return result;
    }

    private static byte[] Tar(FileReference reference, string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, reference.Target.TrimStart('/'))
            {
                Mode = (UnixFileMode)(reference.ModeValue ?? Convert.ToInt32("444", 8)),
                Uid = Id(reference.Uid, "uid"),
                Gid = Id(reference.Gid, "gid"),
                ModificationTime = DateTimeOffset.UtcNow,
                DataStream = new MemoryStream(bytes),
            };
            writer.WriteEntry(entry);
        }

        return buffer.ToArray();
    }

    private static int Id(string? text, string what) =>
        text is null ? 0
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
        : throw new ComposeException($"invalid {what} \"{text}\": must be a number");
}
