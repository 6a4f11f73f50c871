using System.Globalization;
using Wharf.Compose.Execution;
using Wharf.Compose.Output;
using Wharf.Compose.Planning;

namespace Wharf.Compose.Cli;

/// <summary>Project-level commands: config, up/create, down, build, pull, push, version.</summary>
public sealed partial class ComposeCli
{
    private async Task<int> ConfigAsync(List<string> rest)
    {
        var args = ComposeArgs.Parse(rest,
        [
            ("format", null, true), ("quiet", 'q', false), ("services", null, false), ("volumes", null, false),
            ("networks", null, false), ("images", null, false), ("profiles", null, false), ("output", 'o', true),
            ("no-interpolate", null, false), ("no-normalize", null, false), ("resolve-image-digests", null, false), ("hash", null, true),
        ]);
        var project = LoadProject(args.Positionals);
        if (args.Flag("quiet"))
        {
            return 0;
        }

        string text;
        if (args.Value("hash") is { } hashed)
        {
            // "name hash" per service, by name, as docker compose config --hash prints them ("*" for all).
            var wanted = hashed == "*" ? null : hashed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var name in wanted ?? [])
            {
                _ = project.Service(name) ?? throw new ComposeException($"no such service: {name}");
            }

            text = string.Concat(project.Services
                .Where(s => wanted is null || wanted.Contains(s.Name))
                .OrderBy(s => s.Name, StringComparer.Ordinal)
                .Select(s => $"{s.Name} {Planning.Hash.ComposeServiceHash.Compute(project, s)}\n"));
        }
        else if (args.Flag("services"))
        {
            text = string.Concat(project.Services.Select(s => s.Name + "\n"));
        }
        else if (args.Flag("volumes"))
        {
            text = string.Concat(project.Volumes.Keys.Select(v => v + "\n"));
        }
        else if (args.Flag("networks"))
        {
            text = string.Concat(project.Networks.Keys.Select(v => v + "\n"));
        }
        else if (args.Flag("images"))
        {
            text = string.Concat(project.Services.Select(s => s.ImageName(project.Name) + "\n"));
        }
        else if (args.Flag("profiles"))
        {
            text = string.Concat(project.Services.Concat(project.DisabledServices).SelectMany(s => s.Profiles).Distinct().Order(StringComparer.Ordinal).Select(p => p + "\n"));
        }
        else
        {
            if (args.Positionals.Count > 0)
            {
                project.Services.RemoveAll(s => !args.Positionals.Contains(s.Name));
            }

            var model = ConfigModel.Build(project);
            text = (args.Value("format") ?? "yaml") switch
            {
                "yaml" => NodeWriter.ToYaml(model),
                "json" => NodeWriter.ToJson(model),
                var other => throw new ComposeUsageException($"unsupported format \"{other}\" (yaml or json)"),
            };
        }

        if (args.Value("output") is { } output)
        {
            await File.WriteAllTextAsync(Path.GetFullPath(output, _console.CurrentDirectory), text).ConfigureAwait(false);
        }
        else
        {
            await _console.Out.WriteAsync(text).ConfigureAwait(false);
        }

        return 0;
    }

    private async Task<int> UpAsync(List<string> rest, bool create, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse(rest,
        [
            ("detach", 'd', false), ("build", null, false), ("no-build", null, false), ("wait", null, false), ("wait-timeout", null, true),
            ("scale", null, true), ("remove-orphans", null, false), ("no-deps", null, false), ("force-recreate", null, false),
            ("no-recreate", null, false), ("no-start", null, false), ("pull", null, true), ("quiet-pull", null, false),
            ("timeout", 't', true), ("no-color", null, false), ("no-log-prefix", null, false), ("abort-on-container-exit", null, false),
            ("yes", 'y', false), ("attach-dependencies", null, false), ("no-attach", null, true), ("exit-code-from", null, true),
            ("menu", null, false), ("watch", 'w', false), ("always-recreate-deps", null, false), ("renew-anon-volumes", 'V', false),
        ]);
        var project = LoadProject(args.Positionals);
        var scale = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in args.Values("scale"))
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0 || !int.TryParse(item[(eq + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 0)
            {
                throw new ComposeUsageException($"invalid --scale \"{item}\" (SERVICE=NUM)");
            }

            scale[item[..eq]] = n;
        }

        var options = new UpOptions
        {
            Services = [.. args.Positionals],
            Build = args.Flag("build"),
            NoBuild = args.Flag("no-build"),
            Wait = args.Flag("wait"),
            WaitTimeout = args.Int("wait-timeout") is { } wt ? TimeSpan.FromSeconds(wt) : TimeSpan.FromMinutes(5),
            Scale = scale,
            RemoveOrphans = args.Flag("remove-orphans") || string.Equals(_console.Environment("COMPOSE_REMOVE_ORPHANS"), "true", StringComparison.OrdinalIgnoreCase),
            IgnoreOrphans = IsTrue(_console.Environment("COMPOSE_IGNORE_ORPHANS")),
            NoDeps = args.Flag("no-deps"),
            ForceRecreate = args.Flag("force-recreate"),
            NoRecreate = args.Flag("no-recreate"),
            NoStart = create || args.Flag("no-start"),
            Pull = args.Value("pull") is { } pull and not "policy" ? pull : null,
        };
        var service = Service;
        await service.UpAsync(project, options, cancellationToken).ConfigureAwait(false);
        if (create || args.Flag("detach") || args.Flag("wait") || options.NoStart)
        {
            return 0;
        }

        // Attached: follow every service's logs until the containers stop or the user interrupts.
        try
        {
            await FollowLogsAsync(project.Name, options.Services, tail: null, timestamps: false, noPrefix: args.Flag("no-log-prefix"), noColor: args.Flag("no-color"), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await _console.Err.WriteLineAsync("Gracefully stopping... (press Ctrl+C again to force)").ConfigureAwait(false);
            foreach (var container in await service.ProjectContainersAsync(project.Name, false, CancellationToken.None).ConfigureAwait(false))
            {
                await Engine.StopContainerAsync(container.Id, args.Int("timeout"), CancellationToken.None).ConfigureAwait(false);
            }

            return 130;
        }

        return 0;
    }

    /// <summary>Compose reads its boolean variables with Go's strconv.ParseBool.</summary>
    private static bool IsTrue(string? value) => value is "1" or "t" or "T" or "TRUE" or "true" or "True";

    private async Task<int> DownAsync(List<string> rest, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse(rest, [("volumes", 'v', false), ("rmi", null, true), ("remove-orphans", null, false), ("timeout", 't', true)]);
        var (name, project) = ProjectOrName();
        project ??= new Model.ComposeProject { Name = name };
        await Service.DownAsync(project, args.Flag("volumes"), args.Value("rmi"), args.Flag("remove-orphans") || string.Equals(_console.Environment("COMPOSE_REMOVE_ORPHANS"), "true", StringComparison.OrdinalIgnoreCase), args.Int("timeout"), cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private async Task<int> BuildAsync(List<string> rest, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse(rest, [("no-cache", null, false), ("pull", null, false), ("quiet", 'q', false), ("build-arg", null, true), ("parallel", null, false), ("progress", null, true)]);
        var project = LoadProject(args.Positionals);
        var service = Service;
        foreach (var s in Planner.Select(project, args.Positionals, withDependencies: false).Where(s => s.Build is not null))
        {
            foreach (var buildArg in args.Values("build-arg"))
            {
                var eq = buildArg.IndexOf('=', StringComparison.Ordinal);
                s.Build!.Args[eq < 0 ? buildArg : buildArg[..eq]] = eq < 0 ? _console.Environment(buildArg) : buildArg[(eq + 1)..];
            }

            await service.BuildServiceAsync(project, s, cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    private async Task<int> PullAsync(List<string> rest, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse(rest, [("ignore-pull-failures", null, false), ("quiet", 'q', false), ("include-deps", null, false), ("policy", null, true), ("ignore-buildable", null, false)]);
        var project = LoadProject(args.Positionals);
        var progress = new ProgressWriter(_console.Err);
        var failed = false;
        foreach (var s in Planner.Select(project, args.Positionals, args.Flag("include-deps")))
        {
            if (s.Image is null || s.PullPolicy is "never" or "build")
            {
                continue;
            }

            try
            {
                progress.Report("Image", s.Image, "Pulling");
                await Engine.PullImageAsync(s.Image, _ => { }, cancellationToken).ConfigureAwait(false);
                progress.Report("Image", s.Image, "Pulled");
            }
            catch (Wharf.Api.Client.EngineApiException ex) when (args.Flag("ignore-pull-failures"))
            {
                progress.Report("Image", s.Image, "Error " + ex.Message);
                failed = true;
            }
        }

        return failed && !args.Flag("ignore-pull-failures") ? 1 : 0;
    }

    private async Task<int> PushAsync(List<string> rest, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse(rest, [("ignore-push-failures", null, false), ("quiet", 'q', false), ("include-deps", null, false)]);
        var project = LoadProject(args.Positionals);
        var progress = new ProgressWriter(_console.Err);
        foreach (var s in Planner.Select(project, args.Positionals, args.Flag("include-deps")))
        {
            var image = s.ImageName(project.Name);
            try
            {
                progress.Report("Image", image, "Pushing");
                await Engine.PushImageAsync(image, _ => { }, cancellationToken).ConfigureAwait(false);
                progress.Report("Image", image, "Pushed");
            }
            catch (Wharf.Api.Client.EngineApiException ex) when (args.Flag("ignore-push-failures"))
            {
                progress.Report("Image", image, "Error " + ex.Message);
            }
        }

        return 0;
    }

    private async Task<int> VersionAsync(List<string> rest)
    {
        var args = ComposeArgs.Parse(rest, [("short", null, false), ("format", 'f', true)]);
        var text = args.Flag("short") ? _console.Version
            : args.Value("format") == "json" ? $"{{\"version\":\"v{_console.Version}\"}}"
            : $"Docker Compose version v{_console.Version} (wharf)";
        await _console.Out.WriteLineAsync(text).ConfigureAwait(false);
        return 0;
    }
}
