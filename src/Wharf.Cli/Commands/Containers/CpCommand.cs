using System.Formats.Tar;
using System.IO.Enumeration;
using System.Net;
using System.Text;
using System.Text.Json;
using Wharf.Api.Client;
using Wharf.Api.Volumes;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

/// <summary>docker cp: CONTAINER:SRC_PATH DEST_PATH|- and SRC_PATH|- CONTAINER:DEST_PATH, over the archive API.</summary>
internal sealed class CpCommand : ICommand
{
    public string Name => "container cp";

    public IReadOnlyList<string> Aliases { get; } = ["cp"];

    public string Usage => "cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tcp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH";

    public string Description => "Copy files/folders between a container and the local filesystem";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("archive", 'a', "Archive mode (copy all uid/gid information)"),
        OptionSpec.Flag("follow-link", 'L', "Always follow symbol link in SRC_PATH"),
        OptionSpec.Flag("quiet", 'q', "Suppress progress output during copy"),
        ProgressOption.Option,
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 2)
        {
            throw new CliUsageException("\"wharf cp\" requires exactly 2 arguments.", 1);
        }

        var mode = args.Flag("quiet") ? ProgressMode.Quiet : ProgressOption.Parse(args);
        var source = Split(args.Positionals[0]);
        var destination = Split(args.Positionals[1]);
        return (source.Container, destination.Container) switch
        {
            ({ } container, null) => await CopyFromAsync(context, container, source.Path, destination.Path, args.Flag("follow-link"), mode, cancellationToken).ConfigureAwait(false),
            (null, { } container) => await CopyToAsync(context, source.Path, container, destination.Path, args.Flag("archive"), args.Flag("follow-link"), mode, cancellationToken).ConfigureAwait(false),
            (null, null) => throw new CliUsageException("must specify at least one container source", 1),
            _ => throw new CliUsageException("copying between containers is not supported", 1),
        };
    }

    /// <summary>"name:path" names a container path; a local path containing ':' must start with "/" or ".".</summary>
    private static (string? Container, string Path) Split(string arg)
    {
        if (arg == "-" || arg.StartsWith('/') || arg.StartsWith('.'))
        {
            return (null, arg);
        }

        var colon = arg.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? (null, arg) : (arg[..colon], arg[(colon + 1)..]);
    }

    private static async Task<ContainerPathStat?> StatAsync(CliContext context, string container, string path, CancellationToken ct)
    {
        try
        {
            using var response = await context.Client.Containers.StatPathAsync(container, path, ct).ConfigureAwait(false);
            return Decode(response);
        }
        catch (EngineApiException ex) when (ex.IsNotFound)
        {
            // HEAD answers carry no body: a missing path and a missing container look alike here; the PUT that
            // follows reports which.
            return null;
        }
    }

    private static ContainerPathStat? Decode(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Docker-Container-Path-Stat", out var values) && values.FirstOrDefault() is { } header
            ? JsonSerializer.Deserialize(Convert.FromBase64String(header), StorageJsonContext.Default.ContainerPathStat)
            : null;

    private static async Task<int> CopyFromAsync(CliContext context, string container, string path, string destination, bool follow, ProgressMode mode, CancellationToken ct)
    {
        if (follow && await StatAsync(context, container, path, ct).ConfigureAwait(false) is { LinkTarget.Length: > 0 } link)
        {
            path = link.LinkTarget;
        }

        using var response = await context.Client.Containers.GetArchiveAsync(container, path, ct).ConfigureAwait(false);
        var received = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        if (destination == "-")
        {
            var stdout = context.OpenStdout();
            await received.CopyToAsync(stdout, ct).ConfigureAwait(false);
            await stdout.FlushAsync(ct).ConfigureAwait(false);
            return 0;
        }

        // docker counts the tar stream itself (headers included): "Successfully copied 2.05kB to ./x" for a small file.
        var meter = TransferMeter.For(context, mode, "Copying from container - ");
        try
        {
            var metered = new MeteredStream(received, meter);
            await ExtractAsync(metered, destination, ct).ConfigureAwait(false);
            // The reader stops at the first end-of-archive block; docker counts the whole archive the daemon sent.
            await metered.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
        }
        catch
        {
            await meter.FinishAsync(null).ConfigureAwait(false);
            throw;
        }

        await meter.FinishAsync($"Successfully copied {TransferMeter.Size(meter.Total)} to {destination}").ConfigureAwait(false);
        return 0;
    }

    /// <summary>Unpacks the container's tar at <paramref name="destination"/> with docker cp's naming rules.</summary>
    private static async Task ExtractAsync(Stream stream, string destination, CancellationToken ct)
    {
        // Into an existing directory the entries keep their names; otherwise the top entry takes the new name.
        string targetDirectory;
        string? rename;
        if (Directory.Exists(destination) && !destination.EndsWith("/.", StringComparison.Ordinal))
        {
            (targetDirectory, rename) = (destination, null);
        }
        else if (Directory.Exists(destination))
        {
            (targetDirectory, rename) = (destination, ".");
        }
        else
        {
            var full = Path.GetFullPath(destination);
            targetDirectory = Path.GetDirectoryName(full) ?? "/";
            rename = Path.GetFileName(full);
            if (!Directory.Exists(targetDirectory))
            {
                throw new CliUsageException($"destination directory \"{targetDirectory}\" must exist", 1);
            }
        }

        await using var reader = new TarReader(stream);
        while (await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
        {
            var parts = entry.Name.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
            if (parts.Count == 0 || parts.Contains("..") || entry.Name.StartsWith('/'))
            {
                continue;
            }

            if (rename is not null)
            {
                parts[0] = rename;
            }

            var target = Path.Combine(targetDirectory, Path.Combine([.. parts.Where(p => p != ".")]));
            if (parts.All(p => p == "."))
            {
                target = targetDirectory;
            }

            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(target);
                    File.SetUnixFileMode(target, entry.Mode);
                    break;
                case TarEntryType.SymbolicLink:
                    if (File.Exists(target) || new FileInfo(target).LinkTarget is not null)
                    {
                        File.Delete(target);
                    }

                    File.CreateSymbolicLink(target, entry.LinkName);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    if (new FileInfo(target).LinkTarget is not null)
                    {
                        File.Delete(target);
                    }

                    await entry.ExtractToFileAsync(target, overwrite: true, ct).ConfigureAwait(false);
                    break;
                default:
                    break;
            }
        }
    }

    private static async Task<int> CopyToAsync(CliContext context, string source, string container, string destination, bool archive, bool follow, ProgressMode mode, CancellationToken ct)
    {
        if (source == "-")
        {
            using var body = new StreamContent(context.OpenStdin());
            body.Headers.ContentType = new global::System.Net.Http.Headers.MediaTypeHeaderValue("application/x-tar");
            using var put = await context.Client.Containers.PutArchiveAsync(container, destination, body, archive, cancellationToken: ct).ConfigureAwait(false);
            return 0;
        }

        var info = new FileInfo(source);
        var isLink = info.LinkTarget is not null;
        if (!info.Exists && !Directory.Exists(source) && !isLink)
        {
            throw new CliUsageException($"lstat {Path.GetFullPath(source)}: no such file or directory", 1);
        }

        if (follow && isLink)
        {
            source = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? source;
        }

        var contentsOnly = source.EndsWith("/.", StringComparison.Ordinal);
        var sourceName = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(source)));
        var stat = await StatAsync(context, container, destination, ct).ConfigureAwait(false);
        string directory;
        string entryName;
        if (stat is not null && IsDirectory(stat.Mode))
        {
            directory = destination;
            entryName = contentsOnly ? "." : sourceName;
        }
        else
        {
            if (stat is null && destination.EndsWith('/'))
            {
                throw new CliUsageException($"Error response from daemon: Could not find the file {destination} in container {container}", 1);
            }

            var trimmed = destination.TrimEnd('/');
            var slash = trimmed.LastIndexOf('/');
            directory = slash <= 0 ? "/" : trimmed[..slash];
            entryName = trimmed[(slash + 1)..];
        }

        var meter = TransferMeter.For(context, mode, "Copying to container - ");
        using var content = new TarContent(source, entryName, meter);
        HttpStatusCode status;
        try
        {
            // Like docker's CLI: the daemon must never swap a directory for a file or the reverse.
            using var response = await context.Client.Containers.PutArchiveAsync(container, directory, content, archive, noOverwriteDirNonDir: true, cancellationToken: ct).ConfigureAwait(false);
            status = response.StatusCode;
        }
        catch
        {
            await meter.FinishAsync(null).ConfigureAwait(false);
            throw;
        }

        await meter.FinishAsync(status == HttpStatusCode.OK ? $"Successfully copied {TransferMeter.Size(meter.Total)} to {container}:{destination}" : null).ConfigureAwait(false);
        return status == HttpStatusCode.OK ? 0 : 1;
    }

    private static bool IsDirectory(uint goMode) => (goMode & (1u << 31)) != 0;

    /// <summary>Streams a local file or tree as tar straight into the request body.</summary>
    private sealed class TarContent(string source, string entryName, TransferMeter meter) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await using var writer = new TarWriter(new MeteredStream(stream, meter), TarEntryFormat.Pax, leaveOpen: true);
            await writer.WriteEntryAsync(source, entryName).ConfigureAwait(false);
            if (new FileInfo(source).LinkTarget is not null || !Directory.Exists(source))
            {
                return;
            }

            foreach (var path in EntriesBelow(source).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(source, path).Replace('\\', '/');
                await writer.WriteEntryAsync(path, entryName == "." ? "./" + relative : entryName + "/" + relative).ConfigureAwait(false);
            }
        }

        /// <summary>Everything below a directory, with symlinks archived as links and never entered (as docker cp):
        /// .NET's RecurseSubdirectories would follow a link to a directory and copy what it points at as well.</summary>
        private static FileSystemEnumerable<string> EntriesBelow(string directory) =>
            new(directory, (ref FileSystemEntry entry) => entry.ToFullPath(), new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            {
                ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
            };

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
