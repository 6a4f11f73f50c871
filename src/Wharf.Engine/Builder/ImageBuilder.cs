using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Core.Oci;
using Wharf.Core.Shim;
using Wharf.Engine.Containers;
using Wharf.Engine.Images;
using Wharf.Engine.Images.Archive;
using Wharf.Engine.Layers;
using Wharf.Engine.Snapshots;

namespace Wharf.Engine.Builder;

/// <summary>Docker's legacy builder: every instruction makes an image (metadata steps an empty layer, RUN the diff of
/// a real container's writable layer, COPY/ADD a layer written from the context), each step looked up in the build
/// cache first. Output goes to <c>output</c> as the text Docker prints ("Step 1/4 : ...", " ---> id").</summary>
public sealed class ImageBuilder
{
    private const string NopPrefix = "/bin/sh -c #(nop) ";
    private readonly ImageService images;
    private readonly ContainerService containers;
    private readonly OverlaySnapshotter snapshots;
    private readonly BuildCache cache;
    private readonly TimeProvider time;
    private readonly IHttpDownloader? downloader;

    public ImageBuilder(ImageService images, ContainerService containers, OverlaySnapshotter snapshots, BuildCache cache,
        TimeProvider time, IHttpDownloader? downloader = null)
    {
        this.images = images;
        this.containers = containers;
        this.snapshots = snapshots;
        this.cache = cache;
        this.time = time;
        this.downloader = downloader;
    }

    public async Task<ImageRecord> BuildAsync(Stream contextTar, BuildOptions options, Func<string, Task> output, CancellationToken ct)
    {
        var contextDir = images.Content.CreateScratchDirectory();
        try
        {
            using (var plain = LayerDecompression.Open(contextTar))
            {
                new LayerApplier(new ManagedFileSystemOps()).Apply(plain, contextDir, hasParent: false);
            }
            if (!Path.GetFullPath(Path.Combine(contextDir, options.Dockerfile.TrimStart('/'))).StartsWith(contextDir + "/", StringComparison.Ordinal))
                throw EngineException.Invalid($"Cannot locate specified Dockerfile: {options.Dockerfile}");
            // Both files are read through links only while those stay in the context (a Dockerfile linked to
            // /etc/shadow would otherwise be read, and its first line echoed in the parse error).
            var dockerfilePath = BuildContextPath.Resolve(contextDir, options.Dockerfile.TrimStart('/'), options.Dockerfile);
            if (!File.Exists(dockerfilePath))
                throw EngineException.Invalid($"Cannot locate specified Dockerfile: {options.Dockerfile}");
            var instructions = DockerfileParser.Parse(await File.ReadAllTextAsync(dockerfilePath, ct).ConfigureAwait(false));
            var ignorePath = BuildContextPath.Resolve(contextDir, ".dockerignore", ".dockerignore");
            var ignore = new DockerignoreMatcher(File.Exists(ignorePath) ? await File.ReadAllTextAsync(ignorePath, ct).ConfigureAwait(false) : null);
            var run = new Run(this, options, contextDir, ignore, output, ct);
            return await run.ExecuteAsync(instructions).ConfigureAwait(false);
        }
        finally
        {
            // Off the response path: removing an unpacked context is thousands of unlinks for a big one.
            _ = Task.Run(() =>
            {
                try { DirectoryTree.ForceDelete(contextDir); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* best effort; in the ingest area */ }
            }, CancellationToken.None);
        }
    }

    /// <summary>One build: stages, their state and the step counter.</summary>
    private sealed class Run(ImageBuilder b, BuildOptions options, string contextDir, DockerignoreMatcher ignore, Func<string, Task> output, CancellationToken ct)
    {
        private readonly Dictionary<string, Stage> _stages = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<Stage> _stageList = [];
        private readonly Dictionary<string, string?> _globalArgs = new(StringComparer.Ordinal);

        public async Task<ImageRecord> ExecuteAsync(IReadOnlyList<DockerfileInstruction> instructions)
        {
            var total = instructions.Count;
            Stage? stage = null;
            for (var i = 0; i < instructions.Count; i++)
            {
                var instruction = instructions[i];
                if (instruction.Keyword == "FROM" && stage is not null && options.Target is { } target && string.Equals(stage.Name, target, StringComparison.OrdinalIgnoreCase))
                {
                    break; // --target: stop after the named stage
                }
                await Say($"Step {i + 1}/{total} : {instruction.Original}\n").ConfigureAwait(false);
                if (instruction.Keyword == "FROM")
                {
                    stage = From(instruction);
                    await RunTriggersAsync(stage).ConfigureAwait(false);
                }
                else if (stage is null) DeclareGlobalArg(instruction);
                else await StepAsync(stage, instruction).ConfigureAwait(false);
                if (stage?.Image is { } current) await Say($" ---> {current.ShortId}\n").ConfigureAwait(false);
            }
            if (options.Target is { } wanted && !_stages.ContainsKey(wanted)) throw EngineException.Invalid($"failed to reach build target {wanted} in Dockerfile");
            if (stage is null) throw EngineException.Invalid("no build stage in current context");
            var final = stage.Image ?? Commit(stage, NopPrefix + " (empty)", layer: null);
            if (options.Labels.Count > 0)
            {
                var labels = new Dictionary<string, string>(final.Config.Config.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
                foreach (var (k, v) in options.Labels) labels[k] = v;
                stage.Config = stage.Config with { Config = stage.Config.Config with { Labels = labels } };
                final = Commit(stage, NopPrefix + " LABEL " + string.Join(' ', options.Labels.Select(l => l.Key + "=" + l.Value)), layer: null);
            }
            if (options.Squash) final = new ImageSquasher(b.images, b.snapshots, b.time).Squash(final, stage.BaseImage);
            return final;
        }

        private Task Say(string text) => options.Quiet ? Task.CompletedTask : output(text);

        private void DeclareGlobalArg(DockerfileInstruction instruction)
        {
            if (instruction.Keyword != "ARG") throw EngineException.Invalid($"dockerfile parse error on line {instruction.Line}: no build stage in current context");
            var (name, value) = SplitArg(instruction.Arguments);
            _globalArgs[name] = options.BuildArgs.TryGetValue(name, out var given) && given is not null ? given : value;
        }

        private Stage From(DockerfileInstruction instruction)
        {
            var words = instruction.Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var baseName = VariableExpander.Expand(words[0], n => _globalArgs.GetValueOrDefault(n));
            string? name = words.Length >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
            if (words.Length is not (1 or 3) || (words.Length == 3 && name is null))
                throw EngineException.Invalid($"dockerfile parse error on line {instruction.Line}: FROM requires either one or three arguments");
            var stage = new Stage { Name = name, Index = _stageList.Count };
            if (baseName.Equals("scratch", StringComparison.OrdinalIgnoreCase))
            {
                stage.Config = new ImageConfig { Architecture = ImageService.HostArchitectureName, Os = "linux", RootFs = new RootFs(), History = [] };
                stage.Parent = "scratch";
            }
            else
            {
                var image = _stages.TryGetValue(baseName, out var earlier) && earlier.Image is { } built
                    ? built
                    : b.images.TryResolve(baseName, out var found) ? found
                    : throw new EngineException(ErrorKind.NotFound, $"pull access denied for {baseName}, repository does not exist or may require 'docker login': this daemon builds from local images only");
                stage.Image = image;
                stage.BaseImage = image;
                stage.Config = image.Config;
                stage.Parent = image.Id.Value;
                if (image.Config.Config.Shell is { Count: > 0 } shell) stage.Shell = [.. shell];
            }
            foreach (var (k, v) in _globalArgs) stage.MetaArgs[k] = v;
            if (name is not null) _stages[name] = stage;
            _stages[stage.Index.ToString(CultureInfo.InvariantCulture)] = stage;
            _stageList.Add(stage);
            return stage;
        }

        private async Task StepAsync(Stage stage, DockerfileInstruction instruction)
        {
            switch (instruction.Keyword)
            {
                case "RUN":
                    await RunAsync(stage, instruction).ConfigureAwait(false);
                    return;
                case "COPY" or "ADD":
                    await CopyAsync(stage, instruction).ConfigureAwait(false);
                    return;
                case "ARG":
                {
                    var (name, value) = SplitArg(instruction.Arguments);
                    if (value is null && stage.MetaArgs.TryGetValue(name, out var meta)) value = meta;
                    stage.Args[name] = options.BuildArgs.TryGetValue(name, out var given) && given is not null ? given : value;
                    await MetadataStep(stage, instruction, c => c).ConfigureAwait(false);
                    return;
                }
                case "SHELL":
                    stage.Shell = [.. instruction.JsonArguments!];
                    await MetadataStep(stage, instruction, c => c with { Shell = [.. instruction.JsonArguments!] }).ConfigureAwait(false);
                    return;
                case "CMD" or "ENTRYPOINT":
                {
                    var command = instruction.JsonArguments?.ToList() ?? [.. stage.Shell, instruction.Arguments];
                    await MetadataStep(stage, instruction, c => instruction.Keyword == "CMD"
                        ? c with { Cmd = command }
                        : c with { Entrypoint = command, Cmd = null }).ConfigureAwait(false);
                    return;
                }
                case "ONBUILD":
                    await MetadataStep(stage, instruction, c => c with { OnBuild = [.. c.OnBuild ?? [], instruction.Arguments] }).ConfigureAwait(false);
                    return;
                case "HEALTHCHECK":
                {
                    // The parser took the --interval=... options off as flags; the change line wants them back.
                    var line = string.Join(' ', instruction.Flags.Select(f => "--" + f.Key + "=" + f.Value).Append(instruction.Arguments));
                    await MetadataStep(stage, instruction, c => ImageChanges.Apply(c, ["HEALTHCHECK " + line]), line).ConfigureAwait(false);
                    return;
                }
                case "MAINTAINER":
                    stage.Config = stage.Config with { Author = instruction.Arguments };
                    await MetadataStep(stage, instruction, c => c).ConfigureAwait(false);
                    return;
                default:
                {
                    // ENV, LABEL, EXPOSE, WORKDIR, USER, VOLUME, STOPSIGNAL: substitute, then Docker's change semantics.
                    var expanded = VariableExpander.Expand(instruction.Arguments, n => Lookup(stage, n));
                    if (instruction.Keyword == "WORKDIR" && !expanded.StartsWith('/'))
                    {
                        expanded = Path.Combine(string.IsNullOrEmpty(stage.Config.Config.WorkingDir) ? "/" : stage.Config.Config.WorkingDir, expanded);
                    }
                    await MetadataStep(stage, instruction, c => ImageChanges.Apply(c, [instruction.Keyword + " " + expanded]), expanded).ConfigureAwait(false);
                    return;
                }
            }
        }

        private async Task MetadataStep(Stage stage, DockerfileInstruction instruction, Func<ContainerDefaults, ContainerDefaults> change, string? expanded = null)
        {
            var createdBy = NopPrefix + " " + instruction.Keyword + " " + (expanded ?? instruction.Arguments);
            var key = BuildCache.Key(stage.Parent, createdBy, "");
            if (TryCache(stage, key)) { await Say(" ---> Using cache\n").ConfigureAwait(false); return; }
            stage.Config = stage.Config with { Config = change(stage.Config.Config) };
            var image = Commit(stage, createdBy, layer: null);
            b.cache.Put(key, image.Id.Value);
        }

        private bool TryCache(Stage stage, string key)
        {
            if (options.NoCache || !b.cache.TryGet(key, out var id) || !b.images.TryResolve(id, out var cached)) return false;
            if (options.CacheFrom is { Count: > 0 } sources && !sources.Any(s => b.images.TryResolve(s, out var source) && IsBuiltFrom(cached, source))) return false;
            stage.Image = cached;
            stage.Config = cached.Config;
            stage.Parent = cached.Id.Value;
            return true;
        }

        /// <summary>--cache-from: <paramref name="cached"/> is one of the steps <paramref name="source"/> was built
        /// through (its layers and history are a prefix of the source's), as Docker's cache-from prober allows.</summary>
        private static bool IsBuiltFrom(ImageRecord cached, ImageRecord source)
        {
            var layers = cached.Config.RootFs.DiffIds;
            var history = cached.Config.History ?? [];
            var sourceLayers = source.Config.RootFs.DiffIds;
            var sourceHistory = source.Config.History ?? [];
            return layers.Count <= sourceLayers.Count && history.Count <= sourceHistory.Count
                && layers.SequenceEqual(sourceLayers.Take(layers.Count), StringComparer.Ordinal)
                && history.SequenceEqual(sourceHistory.Take(history.Count));
        }

        private ImageRecord Commit(Stage stage, string createdBy, Digest? layer)
        {
            var now = b.time.GetUtcNow();
            var history = new List<HistoryEntry>(stage.Config.History ?? []) { new() { Created = now, CreatedBy = createdBy, EmptyLayer = layer is null } };
            stage.Config = stage.Config with
            {
                Created = now,
                RootFs = layer is { } d ? new RootFs { DiffIds = [.. stage.Config.RootFs.DiffIds, d.Value] } : stage.Config.RootFs,
                History = history,
            };
            var image = b.images.CreateImage(stage.Config, null, stage.Image?.Id.Value);
            stage.Image = image;
            stage.Config = image.Config;
            stage.Parent = image.Id.Value;
            return image;
        }

        private async Task RunAsync(Stage stage, DockerfileInstruction instruction)
        {
            List<string> command;
            if (instruction.JsonArguments is { } exec) command = [.. exec];
            else if (instruction.Heredocs.Count > 0 && instruction.Arguments.TrimStart().StartsWith("<<", StringComparison.Ordinal))
                command = [.. stage.Shell, instruction.Heredocs[0].Body];
            else command = [.. stage.Shell, instruction.Arguments];
            var buildArgs = stage.Args.Where(a => a.Value is not null).OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + "=" + a.Value).ToList();
            var createdBy = (buildArgs.Count > 0 ? $"|{buildArgs.Count} {string.Join(' ', buildArgs)} " : "") + string.Join(' ', command);
            var key = BuildCache.Key(stage.Parent, createdBy, "");
            if (TryCache(stage, key)) { await Say(" ---> Using cache\n").ConfigureAwait(false); return; }
            if (stage.Image is null) throw EngineException.Invalid("RUN needs a base image: a stage FROM scratch has no shell until something is copied in");

            var config = stage.Config.Config;
            var env = new List<string>(config.Env ?? []);
            foreach (var arg in buildArgs) if (!env.Any(e => e.StartsWith(arg[..(arg.IndexOf('=') + 1)], StringComparison.Ordinal))) env.Add(arg);
            var host = new HostSettings
            {
                ExtraHosts = [.. options.ExtraHosts ?? []],
                NetworkMode = options.NetworkMode is "" or "default" ? "bridge" : options.NetworkMode,
            };
            options.Resources?.ApplyTo(host);
            var record = b.containers.Create(new ContainerCreateParams(null, new ContainerConfig
            {
                Image = stage.Image.Id.Value,
                Cmd = command,
                Entrypoint = [],
                Env = env,
                WorkingDir = config.WorkingDir ?? "",
                User = config.User ?? "",
                Labels = [],
            }, host));
            await Say($" ---> Running in {record.ShortId}\n").ConfigureAwait(false);
            try
            {
                var exited = b.containers.WaitAsync(record.Id, WaitCondition.NextExit, ct);
                await b.containers.StartAsync(record.Id, ct).ConfigureAwait(false);
                // The step's output goes out line by line while it runs (a long RUN shows progress), then whatever
                // the follow missed (a container so quick its log appeared after the follow looked) is sent.
                var shown = 0;
                await foreach (var entry in b.containers.ReadLogsAsync(record.Id, new LogQuery(true, true, true, null, null, null), ct).ConfigureAwait(false))
                {
                    shown++;
                    await Say(Shown(entry)).ConfigureAwait(false);
                }
                var result = await exited.ConfigureAwait(false);
                await foreach (var entry in b.containers.ReadLogsAsync(record.Id, new LogQuery(true, true, false, null, null, null), ct).ConfigureAwait(false))
                {
                    if (shown-- > 0) continue;
                    await Say(Shown(entry)).ConfigureAwait(false);
                }
                if (result.StatusCode != 0)
                {
                    throw new BuildStepException($"The command '{string.Join(' ', command)}' returned a non-zero code: {result.StatusCode}", result.StatusCode);
                }
                var layer = b.containers.StoreWritableLayer(record.Id);
                // The new image keeps the stage's config: RUN changes files, not defaults.
                var image = Commit(stage, createdBy, layer);
                b.cache.Put(key, image.Id.Value);
            }
            finally
            {
                await b.containers.RemoveAsync(record.Id, force: true, CancellationToken.None).ConfigureAwait(false);
                await Say($" ---> Removed intermediate container {record.ShortId}\n").ConfigureAwait(false);
            }
        }

        /// <summary>A RUN step's output as Docker's legacy builder streams it: stderr between the red and reset ANSI
        /// codes (the CLI prints them as they are, so errors stand out), stdout as it is.</summary>
        private static string Shown(JsonLogEntry entry) => entry.Stream == "stderr" ? $"\u001b[91m{entry.Log}\u001b[0m" : entry.Log;

        private async Task CopyAsync(Stage stage, DockerfileInstruction instruction)
        {
            var words = instruction.JsonArguments?.ToList() ?? SplitWords(instruction.Arguments);
            if (instruction.Heredocs.Count > 0) words = words.Where(w => !w.StartsWith("<<", StringComparison.Ordinal)).ToList();
            if (words.Count + instruction.Heredocs.Count < 2) throw EngineException.Invalid($"dockerfile parse error on line {instruction.Line}: {instruction.Keyword} requires at least two arguments");
            words = words.Select(w => VariableExpander.Expand(w, n => Lookup(stage, n))).ToList();
            var destination = words[^1];
            var sources = words[..^1];
            if (!destination.StartsWith('/'))
            {
                var workdir = string.IsNullOrEmpty(stage.Config.Config.WorkingDir) ? "/" : stage.Config.Config.WorkingDir;
                destination = (workdir.TrimEnd('/') + "/" + destination).Replace("/./", "/", StringComparison.Ordinal);
            }
            // "." and "dir/." name the directory itself.
            if (destination.EndsWith("/.", StringComparison.Ordinal)) destination = destination[..^1];

            string sourceRoot;
            Action? release = null;
            if (instruction.Flags.TryGetValue("from", out var from))
            {
                var fromImage = _stages.TryGetValue(from, out var earlier) && earlier.Image is { } built ? built
                    : b.images.TryResolve(from, out var found) ? found
                    : throw EngineException.Invalid($"invalid from flag value {from}: stage or image not found");
                (sourceRoot, release) = b.MergedView(fromImage);
            }
            else sourceRoot = contextDir;

            try
            {
                var chown = instruction.Flags.GetValueOrDefault("chown");
                var (uid, gid) = chown is null ? (0, 0) : ParseChown(stage, VariableExpander.Expand(chown, n => Lookup(stage, n)));
                uint? chmod = instruction.Flags.TryGetValue("chmod", out var mode) ? Convert.ToUInt32(mode, 8) : null;
                var files = new List<CopyItem>();
                foreach (var heredoc in instruction.Heredocs)
                {
                    var temp = Path.Combine(contextDir, ".heredoc-" + Guid.NewGuid().ToString("N"));
                    await File.WriteAllTextAsync(temp, heredoc.Expand ? VariableExpander.Expand(heredoc.Body, n => Lookup(stage, n)) : heredoc.Body, ct).ConfigureAwait(false);
                    files.Add(new CopyItem(temp, Join(destination.EndsWith('/') ? destination : destination + "/", heredoc.Name), 0x1A4, false));
                }
                var multiple = sources.Count > 1 || sources.Any(s => s.IndexOfAny(['*', '?', '[']) >= 0) || instruction.Heredocs.Count > 1;
                foreach (var source in sources)
                {
                    if (instruction.Keyword == "ADD" && (source.StartsWith("http://", StringComparison.Ordinal) || source.StartsWith("https://", StringComparison.Ordinal)))
                    {
                        var downloaded = Path.Combine(contextDir, ".download-" + Guid.NewGuid().ToString("N"));
                        await (b.downloader ?? new HttpDownloader()).DownloadAsync(new Uri(source), downloaded, ct).ConfigureAwait(false);
                        var fileName = Path.GetFileName(new Uri(source).AbsolutePath);
                        var target = destination.EndsWith('/') || fileName.Length == 0 ? Join(destination, fileName.Length == 0 ? "download" : fileName) : destination;
                        files.Add(new CopyItem(downloaded, target, 0x180, false));
                        continue;
                    }
                    var matches = Glob(sourceRoot, source, from is null);
                    if (matches.Count == 0) throw EngineException.Invalid($"COPY failed: file not found in build context or excluded by .dockerignore: stat {source}: file does not exist");
                    foreach (var match in matches)
                    {
                        // A source named by the instruction that is itself a link is copied as what it points to, as
                        // Docker does, so the link must stay inside the context; links further down a copied
                        // directory are copied as links.
                        var full = from is null
                            ? BuildContextPath.Resolve(sourceRoot, match, source, $"{instruction.Keyword} failed: ")
                            : Path.Combine(sourceRoot, match);
                        if (Directory.Exists(full) && new DirectoryInfo(full).LinkTarget is null)
                        {
                            AddDirectory(files, sourceRoot, match, destination, from is null);
                        }
                        else if (instruction.Keyword == "ADD" && from is null && IsArchive(full))
                        {
                            var extracted = Path.Combine(contextDir, ".extract-" + Guid.NewGuid().ToString("N"));
                            Directory.CreateDirectory(extracted);
                            using (var archive = File.OpenRead(full))
                            using (var plainArchive = LayerDecompression.Open(archive))
                            {
                                new LayerApplier(new ManagedFileSystemOps()).Apply(plainArchive, extracted, hasParent: false);
                            }
                            AddDirectory(files, extracted, "", destination, false);
                        }
                        else
                        {
                            var target = destination.EndsWith('/') || multiple ? Join(destination, Path.GetFileName(match)) : destination;
                            files.Add(new CopyItem(full, target, 0, false));
                        }
                    }
                }

                var checksum = Checksum(files, uid, gid, chmod);
                var createdBy = $"/bin/sh -c #(nop) {instruction.Keyword} {(from is null ? "" : "--from=" + from + " ")}{checksum[..19]} in {destination} ";
                var key = BuildCache.Key(stage.Parent, instruction.Keyword + " " + instruction.Arguments + string.Join(',', instruction.Flags.Select(f => f.Key + "=" + f.Value)), checksum);
                if (TryCache(stage, key)) { await Say(" ---> Using cache\n").ConfigureAwait(false); return; }
                var layer = b.images.StoreLayer(stream => WriteCopyLayer(files, uid, gid, chmod, stream));
                var image = Commit(stage, createdBy, layer);
                b.cache.Put(key, image.Id.Value);
            }
            finally
            {
                release?.Invoke();
            }
        }

        private void AddDirectory(List<CopyItem> files, string root, string relative, string destination, bool applyIgnore)
        {
            var start = relative.Length == 0 ? root : Path.Combine(root, relative);
            foreach (var entry in ContextWalker.Entries(start))
            {
                var inner = Path.GetRelativePath(start, entry).Replace('\\', '/');
                var contextRelative = Path.GetRelativePath(root, entry).Replace('\\', '/');
                if (applyIgnore && ignore.IsExcluded(contextRelative)) continue;
                var isDir = Directory.Exists(entry) && new DirectoryInfo(entry).LinkTarget is null;
                files.Add(new CopyItem(entry, Join(destination, inner), 0, isDir));
            }
        }

        private List<string> Glob(string root, string pattern, bool applyIgnore)
        {
            var clean = pattern.TrimStart('/');
            if (clean is "" or "." ) return [""];
            if (clean.Split('/').Contains("..")) throw EngineException.Invalid($"COPY failed: forbidden path outside the build context: {pattern}");
            RejectSymlinkedParents(root, clean, pattern);
            if (clean.IndexOfAny(['*', '?', '[']) < 0)
            {
                var full = Path.Combine(root, clean);
                var exists = File.Exists(full) || Directory.Exists(full) || new FileInfo(full).LinkTarget is not null;
                return exists && !(applyIgnore && ignore.IsExcluded(clean)) ? [clean.TrimEnd('/')] : [];
            }
            var matcher = new DockerignoreMatcher(clean);
            return ContextWalker.Entries(root)
                .Select(e => Path.GetRelativePath(root, e).Replace('\\', '/'))
                .Where(r => r.Count(c => c == '/') == clean.Count(c => c == '/') && matcher.IsExcluded(r) && !(applyIgnore && ignore.IsExcluded(r)))
                .Order(StringComparer.Ordinal).ToList();
        }

        /// <summary>A source below a symlinked directory ("link/etc/passwd" with link -> /) must not reach out of
        /// the context (or the --from image) into the daemon host's files.</summary>
        private static void RejectSymlinkedParents(string root, string relative, string pattern)
        {
            var current = root;
            var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < parts.Length - 1; i++)
            {
                current = Path.Combine(current, parts[i]);
                if (new FileInfo(current).LinkTarget is not null)
                    throw EngineException.Invalid($"COPY failed: forbidden path outside the build context: {pattern} ({parts[i]} is a symbolic link)");
            }
        }

        private string? Lookup(Stage stage, string name)
        {
            foreach (var entry in stage.Config.Config.Env ?? [])
            {
                if (entry.StartsWith(name + "=", StringComparison.Ordinal)) return entry[(name.Length + 1)..];
            }
            return stage.Args.TryGetValue(name, out var value) ? value : null;
        }

        private (int, int) ParseChown(Stage stage, string chown)
        {
            if (stage.Image is not { } image) return ChownResolver.Resolve(chown, []);
            b.snapshots.EnsureLayers(image.DiffIds);
            return ChownResolver.Resolve(chown, b.snapshots.LowerPaths(image.DiffIds));
        }

        /// <summary>ONBUILD: the base image's triggers run right after its FROM, as if they followed it in this
        /// Dockerfile; the new image does not inherit them (triggers fire once, in the direct child).</summary>
        private async Task RunTriggersAsync(Stage stage)
        {
            if (stage.Config.Config.OnBuild is not { Count: > 0 } triggers) return;
            await Say($"# Executing {triggers.Count} build trigger{(triggers.Count == 1 ? "" : "s")}\n").ConfigureAwait(false);
            var parsed = DockerfileParser.ParseTriggers(triggers);
            stage.Config = stage.Config with { Config = stage.Config.Config with { OnBuild = null } };
            foreach (var trigger in parsed) await StepAsync(stage, trigger).ConfigureAwait(false);
        }
    }

    private static string Join(string directory, string name) => directory.TrimEnd('/') + "/" + name.TrimStart('/');

    private static bool IsArchive(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            var head = new byte[512];
            var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (LayerDecompression.Detect(head.AsSpan(0, Math.Min(read, 6))) != LayerDecompression.Kind.Plain) return true;
            return read >= 262 && head.AsSpan(257, 5).SequenceEqual("ustar"u8);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string Checksum(List<CopyItem> files, int uid, int gid, uint? chmod)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{uid}:{gid}:{chmod}\n"));
        foreach (var item in files)
        {
            var info = new FileInfo(item.Source);
            var mode = OperatingSystem.IsWindows() ? 0 : (int)info.UnixFileMode;
            hash.AppendData(Encoding.UTF8.GetBytes($"{item.Target}\n{item.IsDirectory}\n{info.LinkTarget}\n{mode}\n"));
            if (!item.IsDirectory && info.LinkTarget is null && info.Exists)
            {
                using var stream = File.OpenRead(item.Source);
                hash.AppendData(SHA256.HashData(stream));
            }
        }
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>COPY's layer: parent directories of every target (0755), then each file with its mode (or --chmod)
    /// and the --chown owner, mtimes kept.</summary>
    private static LayerWriteResult WriteCopyLayer(List<CopyItem> files, int uid, int gid, uint? chmod, Stream output)
    {
        var tar = new TarStreamWriter(output);
        var written = new HashSet<string>(StringComparer.Ordinal);
        var entries = 0;
        long bytes = 0;
        foreach (var item in files)
        {
            var target = item.Target.TrimStart('/');
            var parts = target.Split('/', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 1; i < parts.Length; i++)
            {
                var parent = string.Join('/', parts[..i]) + "/";
                if (written.Add(parent)) { tar.Write(new TarRecord('5', parent, 0x1ED)); entries++; }
            }
            var info = new FileInfo(item.Source);
            var mtime = info.LastWriteTimeUtc <= DateTime.UnixEpoch ? 0 : new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds();
            var permissions = chmod ?? (OperatingSystem.IsWindows() ? 0x1A4u : (uint)info.UnixFileMode);
            if (item.Mode != 0 && chmod is null) permissions = item.Mode;
            if (item.IsDirectory)
            {
                if (written.Add(target + "/")) { tar.Write(new TarRecord('5', target + "/", chmod ?? (OperatingSystem.IsWindows() ? 0x1EDu : (uint)new DirectoryInfo(item.Source).UnixFileMode), uid, gid, 0, mtime)); entries++; }
                continue;
            }
            if (info.LinkTarget is { } link)
            {
                tar.Write(new TarRecord('2', target, 0x1FF, uid, gid, 0, mtime, LinkName: link));
                entries++;
                continue;
            }
            using var content = File.OpenRead(item.Source);
            tar.Write(new TarRecord('0', target, permissions, uid, gid, info.Length, mtime), content);
            bytes += info.Length;
            entries++;
        }
        tar.Finish();
        return new LayerWriteResult(entries, bytes);
    }

    /// <summary>A read-only merged view of an image's layers for COPY --from. The layers are stacked through the
    /// snapshotter's directories in managed code: later layers win, whiteouts hide.</summary>
    private (string Root, Action Release) MergedView(ImageRecord image)
    {
        snapshots.EnsureLayers(image.DiffIds);
        var root = images.Content.CreateScratchDirectory();
        var applier = new LayerApplier(new ManagedFileSystemOps());
        foreach (var diffId in image.DiffIds)
        {
            using var blob = images.Content.OpenRead(diffId);
            applier.Apply(blob, root, hasParent: false);
        }
        return (root, () => DirectoryTree.ForceDelete(root));
    }

    private static (string Name, string? Value) SplitArg(string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? (text.Trim(), null) : (text[..eq].Trim(), text[(eq + 1)..].Trim().Trim('"'));
    }

    private static List<string> SplitWords(string text) =>
        text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();

    private sealed record CopyItem(string Source, string Target, uint Mode, bool IsDirectory);

    private sealed class Stage
    {
        public string? Name { get; init; }
        public int Index { get; init; }
        public ImageRecord? Image { get; set; }
        /// <summary>The image the stage started FROM (null for scratch): what --squash squashes onto.</summary>
        public ImageRecord? BaseImage { get; set; }
        public ImageConfig Config { get; set; } = new();
        /// <summary>The cache parent: the current image id, or "scratch".</summary>
        public string Parent { get; set; } = "scratch";
        public List<string> Shell { get; set; } = ["/bin/sh", "-c"];
        public Dictionary<string, string?> Args { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string?> MetaArgs { get; } = new(StringComparer.Ordinal);
    }
}
