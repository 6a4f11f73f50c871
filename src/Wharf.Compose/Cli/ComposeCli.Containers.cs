using System.Globalization;
using System.Text;
using Wharf.Api.Containers;
using Wharf.Compose.Planning;

namespace Wharf.Compose.Cli;

/// <summary>Container-level commands: ps, logs, start/stop/restart/kill/pause/unpause, rm, ls, images, port, top, events.</summary>
public sealed partial class ComposeCli
{
    private static readonly string[] Colors = ["\u001b[36m", "\u001b[33m", "\u001b[32m", "\u001b[35m", "\u001b[34m", "\u001b[96m", "\u001b[93m", "\u001b[92m", "\u001b[95m", "\u001b[94m"];

    private async Task<List<ContainerSummary>> ServiceContainersAsync(string project, IReadOnlyCollection<string> services, bool all, CancellationToken cancellationToken, bool oneOff = false)
    {
        var containers = await Service.ProjectContainersAsync(project, all, cancellationToken, oneOff).ConfigureAwait(false);
        return containers.Where(c => services.Count == 0 || services.Contains(c.Labels?.GetValueOrDefault(ComposeLabels.Service) ?? "")).ToList();
    }

    private static string NameOf(ContainerSummary c) => c.Names.FirstOrDefault()?.TrimStart('/') ?? c.Id[..Math.Min(12, c.Id.Length)];

    private static string ServiceOf(ContainerSummary c) => c.Labels?.GetValueOrDefault(ComposeLabels.Service) ?? "";

    private async Task<int> PsAsync(List<string> rest, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse(rest, [("all", 'a', false), ("quiet", 'q', false), ("services", null, false), ("format", null, true), ("status", null, true), ("filter", null, true), ("no-trunc", null, false), ("orphans", null, false)]);
        var (name, _) = ProjectOrName();
        var containers = await ServiceContainersAsync(name, args.Positionals, args.Flag("all"), cancellationToken).ConfigureAwait(false);
        var statuses = args.Values("status").Concat(args.Values("filter").Where(f => f.StartsWith("status=", StringComparison.Ordinal)).Select(f => f[7..])).ToList();
        if (statuses.Count > 0)
        {
            containers = containers.Where(c => statuses.Contains(c.State)).ToList();
        }

        if (args.Flag("quiet"))
        {
            foreach (var c in containers)
            {
                await _console.Out.WriteLineAsync(c.Id).ConfigureAwait(false);
            }

            return 0;
        }

        if (args.Flag("services"))
        {
            foreach (var s in containers.Select(ServiceOf).Distinct(StringComparer.Ordinal))
            {
                await _console.Out.WriteLineAsync(s).ConfigureAwait(false);
            }

            return 0;
        }

        if (args.Value("format") == "json")
        {
            foreach (var c in containers)
            {
                await _console.Out.WriteLineAsync(PsJson(c)).ConfigureAwait(false);
            }

            return 0;
        }

        var rows = new List<string[]> { new[] { "NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS" } };
        var now = DateTimeOffset.UtcNow;
        foreach (var c in containers)
        {
            var command = c.Command.Length > 20 && !args.Flag("no-trunc") ? c.Command[..19] + "…" : c.Command;
            rows.Add([NameOf(c), c.Image, "\"" + command + "\"", ServiceOf(c), Ago(now - DateTimeOffset.FromUnixTimeSeconds(c.Created)), c.Status, Ports(c)]);
        }

        await _console.Out.WriteAsync(Table(rows)).ConfigureAwait(false);
        return 0;
    }

    private static string PsJson(ContainerSummary c)
    {
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("ID", c.Id);
            writer.WriteString("Name", NameOf(c));
            writer.WriteString("Image", c.Image);
            writer.WriteString("Command", c.Command);
            writer.WriteString("Project", c.Labels?.GetValueOrDefault(ComposeLabels.Project));
            writer.WriteString("Service", ServiceOf(c));
            writer.WriteNumber("Created", c.Created);
            writer.WriteString("State", c.State);
            writer.WriteString("Status", c.Status);
            writer.WriteString("Ports", Ports(c));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Ports(ContainerSummary c) => string.Join(", ", c.Ports
        .OrderBy(p => p.PrivatePort)
        .Select(p => p.PublicPort is { } pub
            ? $"{(string.IsNullOrEmpty(p.IP) ? "0.0.0.0" : p.IP)}:{pub.ToString(CultureInfo.InvariantCulture)}->{p.PrivatePort.ToString(CultureInfo.InvariantCulture)}/{p.Type}"
            : $"{p.PrivatePort.ToString(CultureInfo.InvariantCulture)}/{p.Type}")
        .Distinct(StringComparer.Ordinal));

    internal static string Ago(TimeSpan age)
    {
        static string Plural(double n, string unit) => $"{((int)n).ToString(CultureInfo.InvariantCulture)} {unit}{((int)n == 1 ? "" : "s")} ago";
        return age.TotalSeconds < 1 ? "Less than a second ago"
            : age.TotalMinutes < 1 ? Plural(age.TotalSeconds, "second")
            : age.TotalHours < 1 ? (int)age.TotalMinutes == 1 ? "About a minute ago" : Plural(age.TotalMinutes, "minute")
            : age.TotalDays < 2 ? (int)age.TotalHours == 1 ? "About an hour ago" : Plural(age.TotalHours, "hour")
            : Plural(age.TotalDays, "day");
    }

    internal static string Table(List<string[]> rows)
    {
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                text.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 3));
            }

            text.Append('\n');
        }

        return text.ToString().Replace(" \n", "\n", StringComparison.Ordinal);
    }

    private async Task<int> LogsAsync(List<string> rest, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse(rest, [("follow", 'f', false), ("tail", 'n', true), ("timestamps", 't', false), ("no-color", null, false), ("no-log-prefix", null, false), ("since", null, true), ("until", null, true), ("index", null, true)]);
        var (name, _) = ProjectOrName();
        if (args.Flag("follow"))
        {
            await FollowLogsAsync(name, args.Positionals, args.Value("tail"), args.Flag("timestamps"), args.Flag("no-log-prefix"), args.Flag("no-color"), cancellationToken).ConfigureAwait(false);
            return 0;
        }

        var containers = await ServiceContainersAsync(name, args.Positionals, all: true, cancellationToken).ConfigureAwait(false);
        var prefixes = Prefixes(containers, args.Flag("no-log-prefix"), args.Flag("no-color"));
        var gate = new Lock();
        foreach (var c in containers)
        {
            using var stdout = new LinePrefixStream(_console.Out, prefixes[c.Id], gate);
            using var stderr = new LinePrefixStream(_console.Out, prefixes[c.Id], gate);
            await Engine.LogsAsync(c.Id, false, args.Value("tail"), args.Flag("timestamps"), stdout, stderr, cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    private async Task FollowLogsAsync(string project, IReadOnlyCollection<string> services, string? tail, bool timestamps, bool noPrefix, bool noColor, CancellationToken cancellationToken)
    {
        var containers = await ServiceContainersAsync(project, services, all: true, cancellationToken).ConfigureAwait(false);
        var prefixes = Prefixes(containers, noPrefix, noColor);
        var gate = new Lock();
        await Task.WhenAll(containers.Select(async c =>
        {
            using var stdout = new LinePrefixStream(_console.Out, prefixes[c.Id], gate);
            using var stderr = new LinePrefixStream(_console.Out, prefixes[c.Id], gate);
            await Engine.LogsAsync(c.Id, true, tail, timestamps, stdout, stderr, cancellationToken).ConfigureAwait(false);
            lock (gate)
            {
                _console.Out.WriteLine($"{NameOf(c)} exited");
                _console.Out.Flush();
            }
        })).ConfigureAwait(false);
    }

    private Dictionary<string, string> Prefixes(List<ContainerSummary> containers, bool noPrefix, bool noColor)
    {
        var width = containers.Count == 0 ? 0 : containers.Max(c => NameOf(c).Length);
        var services = containers.Select(ServiceOf).Distinct(StringComparer.Ordinal).ToList();
        var color = _console.Color && !noColor && _console.Environment("NO_COLOR") is null;
        return containers.ToDictionary(c => c.Id, c =>
        {
            if (noPrefix)
            {
                return "";
            }

            var text = NameOf(c).PadRight(width) + "  | ";
            return color ? Colors[services.IndexOf(ServiceOf(c)) % Colors.Length] + text + "\u001b[0m" : text;
        }, StringComparer.Ordinal);
    }

    private async Task<int> LifecycleAsync(string verb, List<string> rest, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse(rest, [("timeout", 't', true), ("signal", 's', true), ("no-deps", null, false), ("remove-orphans", null, false)]);
        var project = LoadProject(args.Positionals);
        foreach (var name in args.Positionals)
        {
            _ = project.Service(name) ?? throw new ComposeException($"no such service: {name}");
        }

        var progress = new Execution.ProgressWriter(_console.Err);
        var containers = await ServiceContainersAsync(project.Name, args.Positionals, all: true, cancellationToken).ConfigureAwait(false);
        var order = Planner.Order(project, project.Services).Select(s => s.Name).ToList();
        if (verb is "stop" or "kill")
        {
            // Dependents first, each level in parallel: stop timeouts of independent services overlap.
            var depth = Planner.DependentsDepth(project);
            foreach (var level in containers.GroupBy(c => depth.GetValueOrDefault(ServiceOf(c))).OrderBy(g => g.Key))
            {
                await Task.WhenAll(level.Select(c => ApplyLifecycleAsync(verb, c, args, progress, cancellationToken))).ConfigureAwait(false);
            }

            return 0;
        }

        // start and the others follow dependency order.
        foreach (var c in containers.OrderByDescending(c => verb == "pause" ? order.IndexOf(ServiceOf(c)) : -order.IndexOf(ServiceOf(c))))
        {
            await ApplyLifecycleAsync(verb, c, args, progress, cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    private async Task ApplyLifecycleAsync(string verb, ContainerSummary c, ComposeArgs args, Execution.ProgressWriter progress, CancellationToken cancellationToken)
    {
        {
            var name = NameOf(c);
            switch (verb)
            {
                case "start" when c.State is not "running":
                    progress.Report("Container", name, "Starting");
                    await Engine.StartContainerAsync(c.Id, cancellationToken).ConfigureAwait(false);
                    progress.Report("Container", name, "Started");
                    break;
                case "stop" when c.State is "running" or "paused" or "restarting":
                    progress.Report("Container", name, "Stopping");
                    await Engine.StopContainerAsync(c.Id, args.Int("timeout"), cancellationToken).ConfigureAwait(false);
                    progress.Report("Container", name, "Stopped");
                    break;
                case "restart":
                    progress.Report("Container", name, "Restarting");
                    await Engine.RestartContainerAsync(c.Id, args.Int("timeout"), cancellationToken).ConfigureAwait(false);
                    progress.Report("Container", name, "Started");
                    break;
                case "kill" when c.State is "running":
                    progress.Report("Container", name, "Killing");
                    await Engine.KillContainerAsync(c.Id, args.Value("signal"), cancellationToken).ConfigureAwait(false);
                    progress.Report("Container", name, "Killed");
                    break;
                case "pause" when c.State is "running":
                    await Engine.PauseContainerAsync(c.Id, cancellationToken).ConfigureAwait(false);
                    progress.Report("Container", name, "Paused");
                    break;
                case "unpause" when c.State is "paused":
                    await Engine.UnpauseContainerAsync(c.Id, cancellationToken).ConfigureAwait(false);
                    progress.Report("Container", name, "Unpaused");
                    break;
            }
        }
    }

    private async Task<int> RmAsync(List<string> rest, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse(rest, [("force", 'f', false), ("stop", 's', false), ("volumes", 'v', false)]);
        var (name, _) = ProjectOrName();
        var progress = new Execution.ProgressWriter(_console.Err);
        var containers = await ServiceContainersAsync(name, args.Positionals, all: true, cancellationToken).ConfigureAwait(false);
        if (args.Flag("stop"))
        {
            foreach (var c in containers.Where(c => c.State is "running" or "paused"))
            {
                progress.Report("Container", NameOf(c), "Stopping");
                await Engine.StopContainerAsync(c.Id, null, cancellationToken).ConfigureAwait(false);
                progress.Report("Container", NameOf(c), "Stopped");
            }

            containers = await ServiceContainersAsync(name, args.Positionals, all: true, cancellationToken).ConfigureAwait(false);
        }

        var stopped = containers.Where(c => c.State is not ("running" or "paused" or "restarting")).ToList();
        if (stopped.Count == 0)
        {
            await _console.Err.WriteLineAsync("No stopped containers").ConfigureAwait(false);
            return 0;
        }

        foreach (var c in stopped)
        {
            progress.Report("Container", NameOf(c), "Removing");
            await Engine.RemoveContainerAsync(c.Id, force: true, args.Flag("volumes"), cancellationToken).ConfigureAwait(false);
            progress.Report("Container", NameOf(c), "Removed");
        }

        return 0;
    }

    private async Task<int> LsAsync(List<string> rest, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse(rest, [("all", 'a', false), ("quiet", 'q', false), ("format", null, true), ("filter", null, true)]);
        var containers = await Engine.ListContainersAsync([ComposeLabels.Project], args.Flag("all"), cancellationToken).ConfigureAwait(false);
        var projects = containers.GroupBy(c => c.Labels![ComposeLabels.Project]).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (args.Flag("quiet"))
        {
            foreach (var p in projects)
            {
                await _console.Out.WriteLineAsync(p.Key).ConfigureAwait(false);
            }

            return 0;
        }

        var rows = new List<string[]> { new[] { "NAME", "STATUS", "CONFIG FILES" } };
        foreach (var p in projects)
        {
            var status = string.Join(", ", p.GroupBy(c => c.State).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}({g.Count().ToString(CultureInfo.InvariantCulture)})"));
            rows.Add([p.Key, status, p.First().Labels!.GetValueOrDefault(ComposeLabels.ConfigFiles) ?? ""]);
        }

        if (args.Value("format") == "json")
        {
            await _console.Out.WriteLineAsync("[" + string.Join(",", rows.Skip(1).Select(r =>
                $"{{\"Name\":{Quote(r[0])},\"Status\":{Quote(r[1])},\"ConfigFiles\":{Quote(r[2])}}}")) + "]").ConfigureAwait(false);
            return 0;
        }

        await _console.Out.WriteAsync(Table(rows)).ConfigureAwait(false);
        return 0;
    }

    private static string Quote(string text) => System.Text.Json.JsonEncodedText.Encode(text, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping) is var e ? "\"" + e.ToString() + "\"" : "";

    private async Task<int> ImagesAsync(List<string> rest, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse(rest, [("quiet", 'q', false), ("format", null, true)]);
        var (name, _) = ProjectOrName();
        var containers = await ServiceContainersAsync(name, args.Positionals, all: true, cancellationToken).ConfigureAwait(false);
        var rows = new List<string[]> { new[] { "CONTAINER", "REPOSITORY", "TAG", "IMAGE ID", "SIZE" } };
        foreach (var c in containers)
        {
            var image = await Engine.FindImageAsync(c.ImageID.Length > 0 ? c.ImageID : c.Image, cancellationToken).ConfigureAwait(false);
            var id = (image?.Id ?? c.ImageID).Replace("sha256:", "", StringComparison.Ordinal);
            if (args.Flag("quiet"))
            {
                await _console.Out.WriteLineAsync(id).ConfigureAwait(false);
                continue;
            }

            var reference = c.Image;
            var colon = reference.LastIndexOf(':');
            var (repo, tag) = colon > reference.LastIndexOf('/') ? (reference[..colon], reference[(colon + 1)..]) : (reference, "latest");
            rows.Add([NameOf(c), repo, tag, id[..Math.Min(12, id.Length)], Size(image?.Size ?? 0)]);
        }

        if (!args.Flag("quiet"))
        {
            await _console.Out.WriteAsync(Table(rows)).ConfigureAwait(false);
        }

        return 0;
    }

    private static string Size(long bytes) =>
        bytes >= 1_000_000_000 ? (bytes / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + "GB"
        : bytes >= 1_000_000 ? (bytes / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "MB"
        : bytes >= 1000 ? (bytes / 1e3).ToString("0.##", CultureInfo.InvariantCulture) + "kB"
        : bytes.ToString(CultureInfo.InvariantCulture) + "B";

    private async Task<int> PortAsync(List<string> rest, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse(rest, [("index", null, true), ("protocol", null, true)]);
        if (args.Positionals.Count != 2)
        {
            throw new ComposeUsageException("port requires SERVICE and PRIVATE_PORT");
        }

        var (name, _) = ProjectOrName();
        var index = args.Int("index") ?? 1;
        var protocol = args.Value("protocol") ?? "tcp";
        var containers = await ServiceContainersAsync(name, [args.Positionals[0]], all: false, cancellationToken).ConfigureAwait(false);
        var container = containers.FirstOrDefault(c => Planner.NumberOf(c) == index)
            ?? throw new ComposeException($"service \"{args.Positionals[0]}\" is not running container #{index.ToString(CultureInfo.InvariantCulture)}");
        var port = int.Parse(args.Positionals[1], CultureInfo.InvariantCulture);
        var binding = container.Ports.FirstOrDefault(p => p.PrivatePort == port && p.Type == protocol && p.PublicPort is not null)
            ?? throw new ComposeException($"no port {port.ToString(CultureInfo.InvariantCulture)}/{protocol} for container {NameOf(container)}");
        await _console.Out.WriteLineAsync($"{(string.IsNullOrEmpty(binding.IP) ? "0.0.0.0" : binding.IP)}:{binding.PublicPort!.Value.ToString(CultureInfo.InvariantCulture)}").ConfigureAwait(false);
        return 0;
    }

    private async Task<int> TopAsync(List<string> rest, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse(rest, []);
        var (name, _) = ProjectOrName();
        var containers = await ServiceContainersAsync(name, args.Positionals, all: false, cancellationToken).ConfigureAwait(false);
        foreach (var c in containers)
        {
            var top = await Engine.TopAsync(c.Id, cancellationToken).ConfigureAwait(false);
            var rows = new List<string[]> { top.Titles.ToArray() };
            rows.AddRange(top.Processes.Select(p => p.ToArray()));
            await _console.Out.WriteAsync(NameOf(c) + "\n" + Table(rows) + "\n").ConfigureAwait(false);
        }

        return 0;
    }

    private async Task<int> EventsAsync(List<string> rest, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse(rest, [("json", null, false), ("since", null, true), ("until", null, true)]);
        var (name, _) = ProjectOrName();
        await foreach (var message in Engine.EventsAsync([ComposeLabels.ProjectFilter(name)], cancellationToken).ConfigureAwait(false))
        {
            var service = message.Actor.Attributes.GetValueOrDefault(ComposeLabels.Service) ?? "";
            if (args.Positionals.Count > 0 && !args.Positionals.Contains(service))
            {
                continue;
            }

            var time = DateTimeOffset.FromUnixTimeMilliseconds(message.TimeNano / 1_000_000).ToString("yyyy-MM-ddTHH:mm:ss.ffffffK", CultureInfo.InvariantCulture);
            var attributes = string.Join(", ", message.Actor.Attributes.Where(a => !a.Key.StartsWith("com.docker.compose.", StringComparison.Ordinal)).OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"));
            var line = args.Flag("json")
                ? $"{{\"time\":{Quote(time)},\"type\":{Quote(message.Type)},\"action\":{Quote(message.Action)},\"id\":{Quote(message.Actor.ID)},\"service\":{Quote(service)}}}"
                : $"{time} {message.Type} {message.Action} {message.Actor.ID} ({attributes})";
            await _console.Out.WriteLineAsync(line).ConfigureAwait(false);
            await _console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }
}
