using System.Formats.Tar;
using System.Text.Json;

namespace Wharf.Cli.Contexts;

/// <summary>The `.dockercontext` tar docker exports and imports: meta.json plus tls/docker/{ca,cert,key}.pem.
/// Import accepts exactly those entries, so a crafted archive cannot write anywhere else.</summary>
internal static class ContextArchive
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    public static void Write(ContextStore store, DockerContext context, Stream destination)
    {
        using var tar = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        var metaBytes = File.ReadAllBytes(Path.Combine(store.MetadataPath(context.Name), "meta.json"));
        AddFile(tar, "meta.json", metaBytes, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        if (!context.HasTlsMaterial)
        {
            return;
        }

        AddDirectory(tar, "tls");
        AddDirectory(tar, "tls/docker");
        foreach (var file in context.TlsFiles)
        {
            AddFile(tar, "tls/docker/" + file, File.ReadAllBytes(Path.Combine(context.TlsDirectory!, file)), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>Reads an archive and stores it under <paramref name="name"/> (the name inside is replaced).</summary>
    public static void Import(ContextStore store, string name, Stream source)
    {
        ContextStore.ValidateName(name);
        if (store.Find(name) is not null)
        {
            throw new ContextException($"context \"{name}\" already exists");
        }

        ContextMetadata? meta = null;
        var tlsFiles = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var tar = new TarReader(source, leaveOpen: true);
            while (tar.GetNextEntry() is { } entry)
            {
                var path = entry.Name.TrimStart('.', '/');
                if (entry.EntryType is TarEntryType.Directory && path.TrimEnd('/') is "tls" or "tls/docker")
                {
                    continue;
                }

                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null || entry.Length > 1 << 20)
                {
                    throw new ContextException($"unexpected entry in context archive: {entry.Name}");
                }

                using var buffer = new MemoryStream();
                entry.DataStream.CopyTo(buffer);
                if (path == "meta.json")
                {
                    meta = JsonSerializer.Deserialize(buffer.ToArray(), ContextJsonContext.Default.ContextMetadata);
                }
                else if (path.StartsWith("tls/docker/", StringComparison.Ordinal) && ContextStore.TlsFileNames.Contains(path["tls/docker/".Length..]))
                {
                    tlsFiles[path["tls/docker/".Length..]] = buffer.ToArray();
                }
                else
                {
                    throw new ContextException($"unexpected entry in context archive: {entry.Name}");
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or EndOfStreamException)
        {
            throw new ContextException($"invalid context archive: {e.Message}");
        }

        if (meta is null)
        {
            throw new ContextException("invalid context archive: no meta.json");
        }

        var endpoint = meta.Endpoints.GetValueOrDefault(ContextStore.EndpointName) ?? new ContextEndpointMetadata();
        store.Save(name, meta.Metadata.Description ?? "", endpoint.Host, endpoint.SkipTlsVerify, tlsFiles);
    }

    private static void AddFile(TarWriter tar, string name, byte[] bytes, UnixFileMode mode)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = mode, ModificationTime = Epoch, DataStream = new MemoryStream(bytes) };
        tar.WriteEntry(entry);
    }

    private static void AddDirectory(TarWriter tar, string name) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, ModificationTime = Epoch });
}
