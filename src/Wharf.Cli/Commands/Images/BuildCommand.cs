using System.Globalization;
using System.Security.Cryptography;
using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Api.Streams;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Images;

/// <summary>
/// wharf build PATH | - : sends the context tar to the daemon's builder (POST /build) and prints its stream.
/// Like docker's legacy builder: "-f -" reads the Dockerfile from stdin, "-" as PATH reads a tar context (or a lone
/// Dockerfile) from stdin; a failed step exits with the step's code and its message on stderr.
/// </summary>
internal sealed class BuildCommand : ICommand
{
    public string Name => "image build";

    public IReadOnlyList<string> Aliases { get; } = ["build", "builder build"];

    public string Usage => "build [OPTIONS] PATH | URL | -";

    public string Description => "Build an image from a Dockerfile";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        ContentTrust.Option,
        OptionSpec.Value("add-host", null, "Add a custom host-to-IP mapping (\"host:ip\")", "list"),
        OptionSpec.Value("build-arg", null, "Set build-time variables", "list"),
        OptionSpec.Value("cache-from", null, "Images to consider as cache sources", "strings"),
        OptionSpec.Value("cgroup-parent", null, "Set the parent cgroup for the \"RUN\" instructions during build"),
        OptionSpec.Flag("compress", null, "Compress the build context using gzip"),
        OptionSpec.Value("cpu-period", null, "Limit the CPU CFS (Completely Fair Scheduler) period", "int"),
        OptionSpec.Value("cpu-quota", null, "Limit the CPU CFS (Completely Fair Scheduler) quota", "int"),
        OptionSpec.Value("cpu-shares", 'c', "CPU shares (relative weight)", "int"),
        OptionSpec.Value("cpuset-cpus", null, "CPUs in which to allow execution (0-3, 0,1)"),
        OptionSpec.Value("cpuset-mems", null, "MEMs in which to allow execution (0-3, 0,1)"),
        OptionSpec.Value("isolation", null, "Container isolation technology"),
        OptionSpec.Value("memory", 'm', "Memory limit", "bytes"),
        OptionSpec.Value("memory-swap", null, "Swap limit equal to memory plus swap: -1 to enable unlimited swap", "bytes"),
        OptionSpec.Value("security-opt", null, "Security options", "strings"),
        OptionSpec.Value("shm-size", null, "Size of \"/dev/shm\"", "bytes"),
        OptionSpec.Value("ulimit", null, "Ulimit options", "ulimit", "[]"),
        OptionSpec.Value("file", 'f', "Name of the Dockerfile (Default is \"PATH/Dockerfile\")"),
        OptionSpec.Flag("force-rm", null, "Always remove intermediate containers"),
        OptionSpec.Value("iidfile", null, "Write the image ID to the file"),
        OptionSpec.Value("label", null, "Set metadata for an image", "list"),
        OptionSpec.Value("network", null, "Set the networking mode for the RUN instructions during build", "string", "default"),
        OptionSpec.Flag("no-cache", null, "Do not use cache when building the image"),
        OptionSpec.Value("platform", null, "Set platform if server is multi-platform capable"),
        OptionSpec.Flag("pull", null, "Always attempt to pull a newer version of the image"),
        ProgressOption.Option,
        OptionSpec.Flag("quiet", 'q', "Suppress the build output and print image ID on success"),
        OptionSpec.Flag("rm", null, "Remove intermediate containers after a successful build", "true"),
        OptionSpec.Flag("squash", null, "Squash newly built layers into a single new layer"),
        OptionSpec.Value("tag", 't', "Name and optionally a tag in the \"name:tag\" format", "list"),
        OptionSpec.Value("target", null, "Set the target build stage to build."),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        ContentTrust.RefuseVerification(args);
        _ = ProgressOption.Parse(args); // a wrong --progress fails before the context is packed
        if (args.Positionals.Count != 1)
        {
            throw new CliUsageException($"\"wharf {context.CommandPath}\" requires exactly 1 argument.", 1);
        }

        var source = args.Positionals[0];
        if (source.StartsWith("http://", StringComparison.Ordinal) || source.StartsWith("https://", StringComparison.Ordinal)
            || source.StartsWith("git@", StringComparison.Ordinal) || source.StartsWith("git://", StringComparison.Ordinal))
        {
            await context.Err.WriteLineAsync($"unable to prepare context: remote build contexts are not supported by wharf: {source}").ConfigureAwait(false);
            return 1;
        }

        var dockerfileFlag = args.Value("file");
        if (source == "-" && dockerfileFlag == "-")
        {
            await context.Err.WriteLineAsync("invalid argument: can't use stdin for both build context and dockerfile").ConfigureAwait(false);
            return 1;
        }

        foreach (var tag in args.Values("tag"))
        {
            if (!ImageRef.IsValid(tag))
            {
                await context.Err.WriteLineAsync($"invalid argument \"{tag}\" for \"-t, --tag\" flag: invalid reference format").ConfigureAwait(false);
                return 1;
            }
        }

        var temp = Path.Combine(Path.GetTempPath(), "wharf-build-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + ".tar");
        try
        {
            string? dockerfile;
            var archive = File.Create(temp);
            await using (archive.ConfigureAwait(false))
            {
                var prepared = source == "-"
                    ? await FromStdinAsync(context, archive, cancellationToken).ConfigureAwait(false)
                    : await FromDirectoryAsync(context, source, dockerfileFlag, archive, cancellationToken).ConfigureAwait(false);
                if (prepared is not { } name)
                {
                    return 1;
                }

                dockerfile = name.Length == 0 ? null : name;
            }

            return await SendAsync(context, args, temp, dockerfile, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The context directory as a tar; returns the Dockerfile name to send ("" for the default), null on failure.</summary>
    private static async Task<string?> FromDirectoryAsync(CliContext context, string source, string? dockerfileFlag, Stream archive, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(source);
        if (!Directory.Exists(root))
        {
            await context.Err.WriteLineAsync($"unable to prepare context: path \"{source}\" not found").ConfigureAwait(false);
            return null;
        }

        (string Name, byte[] Content)? extra = null;
        var dockerfile = "";
        if (dockerfileFlag == "-")
        {
            var content = await ReadAllAsync(context.OpenStdin(), cancellationToken).ConfigureAwait(false);
            extra = (GeneratedDockerfileName(), content);
            dockerfile = extra.Value.Name;
        }
        else
        {
            var path = dockerfileFlag is null ? Path.Combine(root, "Dockerfile") : Path.GetFullPath(dockerfileFlag);
            if (!File.Exists(path))
            {
                await context.Err.WriteLineAsync($"unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat {path}: no such file or directory").ConfigureAwait(false);
                return null;
            }

            if (path.StartsWith(root + "/", StringComparison.Ordinal))
            {
                dockerfile = dockerfileFlag is null ? "" : Path.GetRelativePath(root, path);
            }
            else
            {
                // Outside the context: docker sends it inside the tar under a name of its own.
                extra = (GeneratedDockerfileName(), await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
                dockerfile = extra.Value.Name;
            }
        }

        await BuildContextArchive.WriteAsync(root, archive, extra, cancellationToken).ConfigureAwait(false);
        return dockerfile;
    }

    /// <summary>stdin holds either a (possibly compressed) tar context, passed on unchanged, or a Dockerfile.</summary>
    private static async Task<string?> FromStdinAsync(CliContext context, Stream archive, CancellationToken cancellationToken)
    {
        var content = await ReadAllAsync(context.OpenStdin(), cancellationToken).ConfigureAwait(false);
        if (BuildContextArchive.LooksLikeArchive(content))
        {
            await archive.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            return "";
        }

        var empty = Directory.CreateTempSubdirectory("wharf-build-ctx-");
        try
        {
            await BuildContextArchive.WriteAsync(empty.FullName, archive, ("Dockerfile", content), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            empty.Delete(recursive: true);
        }

        return "";
    }

    private static async Task<int> SendAsync(CliContext context, ParsedArgs args, string tarPath, string? dockerfile, CancellationToken cancellationToken)
    {
        var mode = ProgressOption.Parse(args);
        var quiet = args.Flag("quiet") || mode == ProgressMode.Quiet;
        var options = QueryOptions(args, context.Environment) with { Dockerfile = dockerfile, Quiet = quiet };
        // --compress: the context travels gzipped; the daemon recognises the compression, as Docker's does.
        using var compressed = args.Flag("compress") ? await GzipFile.CreateAsync(tarPath, cancellationToken).ConfigureAwait(false) : null;
        var tar = File.OpenRead(compressed?.Path ?? tarPath);
        await using (tar.ConfigureAwait(false))
        {
            if (!quiet)
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Sending build context to Wharf daemon  {HumanUnits.Size(tar.Length),8}")).ConfigureAwait(false);
            }

            using var response = await context.Client.Builds.BuildAsync(tar, options, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                string? imageId = null;
                var printer = ProgressPrinter.For(context, quiet ? ProgressMode.Quiet : mode);
                await foreach (var message in JsonLines.ReadAsync(body, ApiJsonContext.Default.JsonMessage, cancellationToken).ConfigureAwait(false))
                {
                    if (message.ErrorDetail is { } detail || !string.IsNullOrEmpty(message.Error))
                    {
                        await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                        await context.Err.WriteLineAsync(message.ErrorDetail?.Message ?? message.Error).ConfigureAwait(false);
                        return message.ErrorDetail is { Code: > 0 } coded ? coded.Code : 1;
                    }

                    if (message.Aux is { } aux && aux.ValueKind == global::System.Text.Json.JsonValueKind.Object && aux.TryGetProperty("ID", out var id))
                    {
                        imageId = id.GetString();
                    }
                    else if (message.Stream is { } text)
                    {
                        // -q: the daemon sends only the image id as stream text, which is the output.
                        await context.Out.WriteAsync(text).ConfigureAwait(false);
                    }
                    else
                    {
                        // FROM's pull: one bar per layer on a terminal, status lines otherwise.
                        await printer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
                    }
                }

                if (args.Value("iidfile") is { } iidfile && imageId is not null)
                {
                    await File.WriteAllTextAsync(iidfile, imageId, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return 0;
    }

    /// <summary>The /build query from the flags (the Dockerfile's name and quiet come from the context's preparation).</summary>
    internal static ImageBuildOptions QueryOptions(ParsedArgs args, Func<string, string?> environment) => new()
    {
        Tags = [.. args.Values("tag")],
        BuildArgs = BuildArgs(args.Values("build-arg"), environment),
        Labels = args.Values("label").Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal),
        Target = args.Value("target"),
        NoCache = args.Flag("no-cache"),
        Squash = args.Flag("squash"),
        Pull = args.Flag("pull"),
        Quiet = args.Flag("quiet"),
        Remove = !args.Has("rm") || args.Flag("rm"),
        ForceRemove = args.Flag("force-rm"),
        NetworkMode = args.Value("network"),
        ExtraHosts = [.. args.Values("add-host")],
        Platform = args.Value("platform"),
        Memory = args.Value("memory") is { } memory ? ByteSize.Parse(memory, "--memory") : 0,
        MemorySwap = args.Value("memory-swap") is { } swap ? (swap == "-1" ? -1 : ByteSize.Parse(swap, "--memory-swap")) : 0,
        CpuShares = Containers.ContainerOptions.Long(args.Value("cpu-shares"), "cpu-shares"),
        CpuPeriod = Containers.ContainerOptions.Long(args.Value("cpu-period"), "cpu-period"),
        CpuQuota = Containers.ContainerOptions.Long(args.Value("cpu-quota"), "cpu-quota"),
        CpusetCpus = args.Value("cpuset-cpus"),
        CpusetMems = args.Value("cpuset-mems"),
        ShmSize = args.Value("shm-size") is { } shm ? ByteSize.Parse(shm, "--shm-size") : 0,
        Ulimits = [.. args.Values("ulimit").Select(Containers.ContainerOptions.ParseUlimit)],
        CgroupParent = args.Value("cgroup-parent"),
        SecurityOpt = [.. Strings(args.Values("security-opt"))],
        CacheFrom = [.. Strings(args.Values("cache-from"))],
        Isolation = args.Value("isolation"),
    };

    /// <summary>pflag's string slices: each value may carry several, comma-separated.</summary>
    private static IEnumerable<string> Strings(IReadOnlyList<string> values) => values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>--build-arg K=V, or K alone: the value comes from our environment, and is left out when unset (docker's rule).</summary>
    internal static Dictionary<string, string?> BuildArgs(IEnumerable<string> values, Func<string, string?> environment)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var eq = value.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                result[value[..eq]] = value[(eq + 1)..];
            }
            else if (environment(value) is { } fromEnvironment)
            {
                result[value] = fromEnvironment;
            }
        }

        return result;
    }

    private static string GeneratedDockerfileName() => ".dockerfile." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }
}
