using System.Formats.Tar;
using Wharf.Api.Client;
using Wharf.Api.Containers;
using Wharf.Api.Networks;
using Wharf.Api.Volumes;
using Wharf.Compose.Engine;
using Wharf.Compose.Model;
using Wharf.Compose.Planning;

namespace Wharf.Compose.Execution;

/// <summary>Carries out Compose commands against an engine: converges networks, volumes, images and
/// containers to the project (up/create), and tears them down (down). Services start in dependency order;
/// independent services converge in parallel.</summary>
public sealed partial class ComposeService
{
    private readonly IComposeEngine _engine;
    private readonly ProgressWriter _progress;

    /// <summary>Image reference → id, learnt when images are ensured: the com.docker.compose.image label.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _imageIds = new(StringComparer.Ordinal);

    /// <summary>Services whose containers this up recreated: dependents with depends_on restart: true restart.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _recreated = new(StringComparer.Ordinal);

    public ComposeService(IComposeEngine engine, TextWriter progress)
    {
        _engine = engine;
        _progress = new ProgressWriter(progress);
    }

    public async Task<IReadOnlyList<ContainerSummary>> ProjectContainersAsync(string project, bool all, CancellationToken cancellationToken, bool includeOneOff = false)
    {
        var containers = await _engine.ListContainersAsync([ComposeLabels.ProjectFilter(project)], all, cancellationToken).ConfigureAwait(false);
        return containers
            .Where(c => includeOneOff || c.Labels?.GetValueOrDefault(ComposeLabels.OneOff) != "True")
            .OrderBy(c => c.Labels?.GetValueOrDefault(ComposeLabels.Service), StringComparer.Ordinal)
            .ThenBy(Planner.NumberOf)
            .ToList();
    }

    public async Task UpAsync(ComposeProject project, UpOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(options);
        var services = Planner.Select(project, options.Services, !options.NoDeps);
        foreach (var (name, _) in options.Scale)
        {
            _ = project.Service(name) ?? throw new ComposeException($"no such service: {name}");
        }

        await PrepareAsync(project, services, options, cancellationToken).ConfigureAwait(false);

        var existing = await ProjectContainersAsync(project.Name, all: true, cancellationToken).ConfigureAwait(false);
        if (!options.IgnoreOrphans || options.RemoveOrphans)
        {
            await HandleOrphansAsync(project, existing, options.RemoveOrphans, cancellationToken).ConfigureAwait(false);
        }

        // One task per service; each waits for its dependencies' conditions first. A failure stops only the
        // services that depend on the failed one; the others converge, and what started keeps running.
        var tasks = new Dictionary<string, Task>(StringComparer.Ordinal);
        var failures = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var selected = services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var service in services)
        {
            var dependencies = service.DependsOn
                .Where(d => selected.Contains(d.Key))
                .Select(d => (d.Key, d.Value, Task: tasks[d.Key]))
                .ToList();
            var scale = options.Scale.TryGetValue(service.Name, out var s) ? s : service.Scale;
            tasks[service.Name] = TrackFailureAsync(service.Name, ConvergeServiceAsync(project, service, existing, scale, dependencies, options, cancellationToken), failures);
        }

        try
        {
            await Task.WhenAll(tasks.Values).ConfigureAwait(false);
        }
        catch (Exception) when (!failures.IsEmpty && !cancellationToken.IsCancellationRequested)
        {
            throw new ComposeException(UpFailure(services, failures));
        }

        if (options.Wait && !options.NoStart)
        {
            await WaitHealthyAsync(project, services, options.WaitTimeout, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task TrackFailureAsync(string service, Task work, System.Collections.Concurrent.ConcurrentDictionary<string, string> failures)
    {
        try
        {
            await work.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ComposeException or EngineApiException or IOException)
        {
            failures[service] = ex is EngineApiException ? "Error response from daemon: " + ex.Message : ex.Message;
            throw;
        }
    }

    /// <summary>Which services failed and why (in start order), and which ones run regardless.</summary>
    private static string UpFailure(List<ServiceConfig> services, System.Collections.Concurrent.ConcurrentDictionary<string, string> failures)
    {
        var lines = services.Where(s => failures.ContainsKey(s.Name)).Select(s => $"service \"{s.Name}\": {failures[s.Name]}").ToList();
        var fine = services.Where(s => !failures.ContainsKey(s.Name)).Select(s => s.Name).ToList();
        var summary = fine.Count == 0 ? "no service was started" : "these services are up: " + string.Join(", ", fine);
        return $"{lines.Count} of {services.Count} services failed ({summary})\n" + string.Join('\n', lines);
    }

    /// <summary>Networks, volumes and images the services need, without touching containers (for run). What
    /// can fail comes first: a missing external network or volume, then a missing image (Compose v2 also ensures
    /// images before networks and volumes), so a project that cannot come up leaves nothing created behind.</summary>
    public async Task PrepareAsync(ComposeProject project, List<ServiceConfig> services, UpOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        var networks = await MissingNetworksAsync(project, services, cancellationToken).ConfigureAwait(false);
        var volumes = await MissingVolumesAsync(project, services, cancellationToken).ConfigureAwait(false);
        await EnsureImagesAsync(project, services, options, cancellationToken).ConfigureAwait(false);
        await CreateNetworksAsync(project, networks, cancellationToken).ConfigureAwait(false);
        await CreateVolumesAsync(project, volumes, cancellationToken).ConfigureAwait(false);
    }

    private async Task ConvergeServiceAsync(
        ComposeProject project,
        ServiceConfig service,
        IReadOnlyList<ContainerSummary> existing,
        int scale,
        List<(string Name, DependsOn Condition, Task Task)> dependencies,
        UpOptions options,
        CancellationToken cancellationToken)
    {
        foreach (var dependency in dependencies)
        {
            try
            {
                await dependency.Task.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ComposeException or EngineApiException or IOException)
            {
                throw new ComposeException($"dependency failed to start: service \"{dependency.Name}\" failed", ex);
            }

            if (!options.NoStart)
            {
                await WaitConditionAsync(project, dependency.Name, dependency.Condition, cancellationToken).ConfigureAwait(false);
            }
        }

        // A service referring to others' containers hashes their ids (as v2 does): plan against them as they are
        // now, so a dependency recreated by this up recreates it too.
        if (ServiceReferences.Needed(service))
        {
            existing = await ProjectContainersAsync(project.Name, all: true, cancellationToken).ConfigureAwait(false);
        }

        var actions = Planner.PlanService(project, service, existing, scale, options.ForceRecreate, options.NoRecreate,
            _imageIds.GetValueOrDefault(service.ImageName(project.Name)));
        // Compose restarts a running dependent when a dependency it declares with restart: true was recreated.
        var restartRunning = !options.NoStart && dependencies.Any(d => d.Condition.Restart && _recreated.ContainsKey(d.Name));
        var work = actions.Select(async action =>
        {
            try
            {
                await ApplyAsync(project, service, action, options.NoStart, restartRunning, existing, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ComposeException or EngineApiException or IOException)
            {
                _progress.Report("Container", ContainerSpecBuilder.ContainerName(project, service, action.Number), "Error");
                throw;
            }
        });
        await Task.WhenAll(work).ConfigureAwait(false);
    }

    private async Task ApplyAsync(ComposeProject project, ServiceConfig service, ContainerAction action, bool noStart, bool restartRunning, IReadOnlyList<ContainerSummary> existing, CancellationToken cancellationToken)
    {
        var name = action.Existing is { } c ? c.Names.FirstOrDefault()?.TrimStart('/') ?? c.Id : ContainerSpecBuilder.ContainerName(project, service, action.Number);
        switch (action.Kind)
        {
            case ContainerActionKind.Keep when restartRunning:
                _progress.Report("Container", name, "Restarting");
                await _engine.RestartContainerAsync(action.Existing!.Id, StopTimeout(service), cancellationToken).ConfigureAwait(false);
                _progress.Report("Container", name, "Restarted");
                break;
            case ContainerActionKind.Keep:
                _progress.Report("Container", name, "Running");
                break;
            case ContainerActionKind.Start:
                if (!noStart)
                {
                    _progress.Report("Container", name, "Starting");
                    await _engine.StartContainerAsync(action.Existing!.Id, cancellationToken).ConfigureAwait(false);
                    _progress.Report("Container", name, "Started");
                }

                break;
            case ContainerActionKind.Remove:
                _progress.Report("Container", name, "Stopping");
                await _engine.StopContainerAsync(action.Existing!.Id, StopTimeout(service), cancellationToken).ConfigureAwait(false);
                await _engine.RemoveContainerAsync(action.Existing.Id, force: true, removeVolumes: false, cancellationToken).ConfigureAwait(false);
                _progress.Report("Container", name, "Removed");
                break;
            case ContainerActionKind.Recreate:
                _recreated[service.Name] = true;
                _progress.Report("Container", name, "Recreate");
                if (action.Existing!.State is "running" or "paused" or "restarting")
                {
                    await _engine.StopContainerAsync(action.Existing.Id, StopTimeout(service), cancellationToken).ConfigureAwait(false);
                }

                await _engine.RemoveContainerAsync(action.Existing.Id, force: true, removeVolumes: false, cancellationToken).ConfigureAwait(false);
                await CreateAndStartAsync(project, service, action.Number, noStart, existing, cancellationToken, "Recreated").ConfigureAwait(false);
                break;
            case ContainerActionKind.Create:
                await CreateAndStartAsync(project, service, action.Number, noStart, existing, cancellationToken, "Created").ConfigureAwait(false);
                break;
        }
    }

    private async Task<string> CreateAndStartAsync(ComposeProject project, ServiceConfig service, int number, bool noStart, IReadOnlyList<ContainerSummary> existing, CancellationToken cancellationToken, string createdWord)
    {
        var name = ContainerSpecBuilder.ContainerName(project, service, number);
        _progress.Report("Container", name, "Creating");
        var id = await CreateContainerAsync(project, service, number, name, false, cancellationToken).ConfigureAwait(false);
        _progress.Report("Container", name, createdWord);
        if (!noStart)
        {
            _progress.Report("Container", name, "Starting");
            await _engine.StartContainerAsync(id, cancellationToken).ConfigureAwait(false);
            _progress.Report("Container", name, "Started");
        }

        return id;
    }

    internal async Task<string> CreateContainerAsync(ComposeProject project, ServiceConfig service, int number, string name, bool oneOff, CancellationToken cancellationToken, Action<ContainerCreateRequest>? adjust = null)
    {
        // The other services' containers as they are now (their dependencies have converged): only listed for
        // a service that refers to them.
        var references = ServiceReferences.None;
        if (ServiceReferences.Needed(service))
        {
            references = new ServiceReferences(await ProjectContainersAsync(project.Name, all: true, cancellationToken).ConfigureAwait(false));
            if (service.NetworkMode is { } mode && mode.StartsWith("service:", StringComparison.Ordinal)
                && !references.Of(mode[8..]).Any(c => c.State == "running"))
            {
                throw new ComposeException($"service \"{service.Name}\" uses the network of \"{mode[8..]}\", which has no running container");
            }
        }

        var image = service.ImageName(project.Name);
        if (!_imageIds.ContainsKey(image))
        {
            await RecordImageIdAsync(image, cancellationToken).ConfigureAwait(false);
        }

        var request = ContainerSpecBuilder.Build(project, service, number, oneOff, references, _imageIds.GetValueOrDefault(image));
        adjust?.Invoke(request);
        foreach (var bind in service.Volumes.Where(v => v.Type == "bind" && v.CreateHostPath && v.Source is not null))
        {
            // Compose creates a missing bind source as a directory (the Mounts API would refuse it).
            if (!File.Exists(bind.Source) && !Directory.Exists(bind.Source))
            {
                Directory.CreateDirectory(bind.Source!);
            }
        }

        var injections = FileObjectInjector.Plan(project, service);
        var id = await _engine.CreateContainerAsync(name, request, cancellationToken).ConfigureAwait(false);
        foreach (var (_, tar, copyUidGid) in injections)
        {
            await _engine.CopyToContainerAsync(id, "/", tar, copyUidGid, cancellationToken).ConfigureAwait(false);
        }

        var primary = ContainerSpecBuilder.PrimaryNetwork(service);
        if (service.NetworkMode is null)
        {
            foreach (var network in service.Networks.Keys.Where(n => n != primary).OrderBy(n => n, StringComparer.Ordinal))
            {
                await _engine.ConnectNetworkAsync(project.Networks[network].Name, id, ContainerSpecBuilder.Endpoint(project, service, network, name, request.HostConfig?.Links), cancellationToken).ConfigureAwait(false);
            }
        }

        return id;
    }

    private static int? StopTimeout(ServiceConfig service) =>
        service.StopGracePeriod is { } grace ? (int)Math.Ceiling(grace.TotalSeconds) : null;

    private async Task WaitConditionAsync(ComposeProject project, string serviceName, DependsOn condition, CancellationToken cancellationToken)
    {
        if (condition.Condition == DependsOn.Started)
        {
            return;
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (true)
        {
            var containers = (await ProjectContainersAsync(project.Name, all: true, cancellationToken).ConfigureAwait(false))
                .Where(c => c.Labels?.GetValueOrDefault(ComposeLabels.Service) == serviceName)
                .ToList();
            var ready = containers.Count > 0;
            foreach (var container in containers)
            {
                var inspect = await _engine.InspectContainerAsync(container.Id, cancellationToken).ConfigureAwait(false);
                if (condition.Condition == DependsOn.Healthy)
                {
                    if (inspect.State.Health is null)
                    {
                        throw new ComposeException($"dependency {serviceName} has no healthcheck configured");
                    }

                    if (inspect.State.Health.Status == "unhealthy")
                    {
                        throw new ComposeException($"dependency failed to start: container {inspect.Name.TrimStart('/')} is unhealthy");
                    }

                    ready &= inspect.State.Health.Status == "healthy";
                }
                else
                {
                    if (!inspect.State.Running && inspect.State.Status is "exited" or "dead")
                    {
                        if (inspect.State.ExitCode != 0)
                        {
                            throw new ComposeException($"service \"{serviceName}\" didn't complete successfully: exit {inspect.State.ExitCode}");
                        }
                    }
                    else
                    {
                        ready = false;
                    }
                }
            }

            if (ready)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new ComposeException($"timed out waiting for dependency {serviceName} ({condition.Condition})");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WaitHealthyAsync(ComposeProject project, List<ServiceConfig> services, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var names = services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        while (true)
        {
            var pending = 0;
            foreach (var container in await ProjectContainersAsync(project.Name, all: true, cancellationToken).ConfigureAwait(false))
            {
                if (!names.Contains(container.Labels?.GetValueOrDefault(ComposeLabels.Service) ?? ""))
                {
                    continue;
                }

                var inspect = await _engine.InspectContainerAsync(container.Id, cancellationToken).ConfigureAwait(false);
                if (inspect.State.Health?.Status == "unhealthy" || (!inspect.State.Running && inspect.State.ExitCode != 0))
                {
                    throw new ComposeException($"container {inspect.Name.TrimStart('/')} is {(inspect.State.Running ? "unhealthy" : "exited (" + inspect.State.ExitCode + ")")}");
                }

                if (inspect.State.Running && inspect.State.Health is { Status: not "healthy" })
                {
                    pending++;
                }
            }

            if (pending == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new ComposeException("timed out waiting for services to be healthy");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandleOrphansAsync(ComposeProject project, IReadOnlyList<ContainerSummary> existing, bool remove, CancellationToken cancellationToken)
    {
        var known = project.Services.Concat(project.DisabledServices).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var orphans = existing.Where(c => !known.Contains(c.Labels?.GetValueOrDefault(ComposeLabels.Service) ?? "")).ToList();
        if (orphans.Count == 0)
        {
            return;
        }

        if (!remove)
        {
            _progress.Line($"WARN[0000] Found orphan containers ([{string.Join(' ', orphans.Select(o => o.Names.FirstOrDefault()?.TrimStart('/')))}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.");
            return;
        }

        await Task.WhenAll(orphans.Select(async orphan =>
        {
            var name = orphan.Names.FirstOrDefault()?.TrimStart('/') ?? orphan.Id;
            _progress.Report("Container", name, "Removing");
            await _engine.RemoveContainerAsync(orphan.Id, force: true, removeVolumes: false, cancellationToken).ConfigureAwait(false);
            _progress.Report("Container", name, "Removed");
        })).ConfigureAwait(false);
    }

    /// <summary>The networks the services use that the engine lacks; a missing external one is an error.</summary>
    private async Task<List<(string Key, NetworkConfig Network)>> MissingNetworksAsync(ComposeProject project, List<ServiceConfig> services, CancellationToken cancellationToken)
    {
        var used = services.SelectMany(s => s.Networks.Keys).ToHashSet(StringComparer.Ordinal);
        var missing = new List<(string Key, NetworkConfig Network)>();
        foreach (var (key, network) in project.Networks.Where(n => used.Contains(n.Key)))
        {
            if (await _engine.FindNetworkAsync(network.Name, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            if (network.External)
            {
                throw new ComposeException($"network {network.Name} declared as external, but could not be found");
            }

            missing.Add((key, network));
        }

        return missing;
    }

    private async Task CreateNetworksAsync(ComposeProject project, List<(string Key, NetworkConfig Network)> missing, CancellationToken cancellationToken)
    {
        foreach (var (key, network) in missing)
        {
            _progress.Report("Network", network.Name, "Creating");
            var labels = new Dictionary<string, string>(network.Labels, StringComparer.Ordinal)
            {
                [ComposeLabels.Project] = project.Name,
                [ComposeLabels.Network] = key,
                [ComposeLabels.Version] = ComposeLabels.ComposeVersion,
            };
            await _engine.CreateNetworkAsync(new NetworkCreateRequest
            {
                Name = network.Name,
                Driver = network.Driver ?? "bridge",
                Internal = network.Internal,
                Attachable = network.Attachable,
                EnableIPv6 = network.EnableIpv6,
                Options = network.DriverOpts.Count == 0 ? null : new Dictionary<string, string>(network.DriverOpts, StringComparer.Ordinal),
                Labels = labels,
                IPAM = network.IpamConfig.Count == 0 && network.IpamDriver is null
                    ? null
                    : new Ipam
                    {
                        Driver = network.IpamDriver ?? "default",
                        Config = network.IpamConfig.Select(p => new IpamConfig { Subnet = p.Subnet, Gateway = p.Gateway, IPRange = p.IpRange }).ToList(),
                    },
            }, cancellationToken).ConfigureAwait(false);
            _progress.Report("Network", network.Name, "Created");
        }
    }

    /// <summary>The volumes the services use that the engine lacks; a missing external one is an error.</summary>
    private async Task<List<(string Key, VolumeConfig Volume)>> MissingVolumesAsync(ComposeProject project, List<ServiceConfig> services, CancellationToken cancellationToken)
    {
        var used = services.SelectMany(s => s.Volumes).Where(v => v.Type == "volume" && v.Source is not null).Select(v => v.Source!).ToHashSet(StringComparer.Ordinal);
        var missing = new List<(string Key, VolumeConfig Volume)>();
        foreach (var (key, volume) in project.Volumes.Where(v => used.Contains(v.Key)))
        {
            if (await _engine.FindVolumeAsync(volume.Name, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            if (volume.External)
            {
                throw new ComposeException($"external volume \"{volume.Name}\" not found");
            }

            missing.Add((key, volume));
        }

        return missing;
    }

    private async Task CreateVolumesAsync(ComposeProject project, List<(string Key, VolumeConfig Volume)> missing, CancellationToken cancellationToken)
    {
        foreach (var (key, volume) in missing)
        {
            _progress.Report("Volume", volume.Name, "Creating");
            await _engine.CreateVolumeAsync(new VolumeCreateRequest
            {
                Name = volume.Name,
                Driver = volume.Driver ?? "local",
                DriverOpts = new Dictionary<string, string>(volume.DriverOpts, StringComparer.Ordinal),
                Labels = new Dictionary<string, string>(volume.Labels, StringComparer.Ordinal)
                {
                    [ComposeLabels.Project] = project.Name,
                    [ComposeLabels.Volume] = key,
                    [ComposeLabels.Version] = ComposeLabels.ComposeVersion,
                },
            }, cancellationToken).ConfigureAwait(false);
            _progress.Report("Volume", volume.Name, "Created");
        }
    }

    private async Task EnsureImagesAsync(ComposeProject project, List<ServiceConfig> services, UpOptions options, CancellationToken cancellationToken)
    {
        var ensured = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            var image = service.ImageName(project.Name);
            // Services sharing an image look it up once per up (ten busybox services are one inspect, not ten).
            if (service.Build is null && !ensured.Add(image))
            {
                continue;
            }

            var found = await EnsureImageAsync(project, service, image, options, cancellationToken).ConfigureAwait(false);
            if (found is not null)
            {
                _imageIds[image] = found;
            }
            else
            {
                await RecordImageIdAsync(image, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Builds or pulls as the policy says; returns the image id when it was already there and kept.</summary>
    private async Task<string?> EnsureImageAsync(ComposeProject project, ServiceConfig service, string image, UpOptions options, CancellationToken cancellationToken)
    {
        var policy = options.Pull ?? service.PullPolicy ?? "missing";
        if (service.Build is not null && (options.Build || policy == "build"))
        {
            await BuildServiceAsync(project, service, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var present = await _engine.FindImageAsync(image, cancellationToken).ConfigureAwait(false);
        if (present is not null && policy != "always")
        {
            return present.Id;
        }

        if (service.Build is not null && present is null && !options.NoBuild)
        {
            await BuildServiceAsync(project, service, cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (policy == "never")
        {
            throw new ComposeException($"No such image: {image} (pull_policy: never)");
        }

        await PullOneAsync(service, image, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task RecordImageIdAsync(string image, CancellationToken cancellationToken)
    {
        if (await _engine.FindImageAsync(image, cancellationToken).ConfigureAwait(false) is { } inspect)
        {
            _imageIds[image] = inspect.Id;
        }
    }

    private async Task PullOneAsync(ServiceConfig service, string image, CancellationToken cancellationToken)
    {
        _progress.Report("Image", image, "Pulling");
        await _engine.PullImageAsync(image, _ => { }, cancellationToken).ConfigureAwait(false);
        _progress.Report("Image", image, "Pulled");
        _ = service;
    }

    public async Task BuildServiceAsync(ComposeProject project, ServiceConfig service, CancellationToken cancellationToken)
    {
        var build = service.Build ?? throw new ComposeException($"service \"{service.Name}\" has no build section");
        var tag = service.ImageName(project.Name);
        _progress.Report("Image", tag, "Building");
        using var tar = new MemoryStream();
        await TarFile.CreateFromDirectoryAsync(build.Context, tar, includeBaseDirectory: false, cancellationToken).ConfigureAwait(false);
        tar.Position = 0;
        var labels = new Dictionary<string, string>(build.Labels, StringComparer.Ordinal)
        {
            [ComposeLabels.Project] = project.Name,
            [ComposeLabels.Service] = service.Name,
            [ComposeLabels.Version] = ComposeLabels.ComposeVersion,
        };
        await _engine.BuildImageAsync(tar, tag, build.Dockerfile, build.Args, build.Target, labels, line => _progress.Line(line), cancellationToken).ConfigureAwait(false);
        _progress.Report("Image", tag, "Built");
    }

    public async Task DownAsync(ComposeProject project, bool removeVolumes, string? removeImages, bool removeOrphans, int? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        var containers = await ProjectContainersAsync(project.Name, all: true, cancellationToken, includeOneOff: true).ConfigureAwait(false);
        var known = project.Services.Concat(project.DisabledServices).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var toRemove = containers.Where(c => removeOrphans || known.Contains(c.Labels?.GetValueOrDefault(ComposeLabels.Service) ?? "")).ToList();
        if (toRemove.Count < containers.Count)
        {
            await HandleOrphansAsync(project, containers.Except(toRemove).ToList(), false, cancellationToken).ConfigureAwait(false);
        }

        // Dependents stop before what they depend on: levels by dependents' depth, each level in parallel.
        var depth = Planner.DependentsDepth(project);
        var levels = toRemove.GroupBy(c => depth.GetValueOrDefault(c.Labels?.GetValueOrDefault(ComposeLabels.Service) ?? ""))
            .OrderBy(g => g.Key);
        foreach (var level in levels)
        {
            await Task.WhenAll(level.Select(async container =>
            {
                var serviceName = container.Labels?.GetValueOrDefault(ComposeLabels.Service);
                var service = project.Service(serviceName ?? "") ?? project.DisabledServices.FirstOrDefault(s => s.Name == serviceName);
                var name = container.Names.FirstOrDefault()?.TrimStart('/') ?? container.Id;
                if (container.State is "running" or "paused" or "restarting")
                {
                    _progress.Report("Container", name, "Stopping");
                    await _engine.StopContainerAsync(container.Id, timeout ?? (service is null ? null : StopTimeout(service)), cancellationToken).ConfigureAwait(false);
                    _progress.Report("Container", name, "Stopped");
                }

                _progress.Report("Container", name, "Removing");
                await _engine.RemoveContainerAsync(container.Id, force: true, removeVolumes: removeVolumes, cancellationToken).ConfigureAwait(false);
                _progress.Report("Container", name, "Removed");
            })).ConfigureAwait(false);
        }

        var networks = await _engine.ListNetworksAsync([ComposeLabels.ProjectFilter(project.Name)], cancellationToken).ConfigureAwait(false);
        var networkNames = networks.Select(n => n.Name)
            .Concat(project.Networks.Values.Where(n => !n.External).Select(n => n.Name))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var listed = networks.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var network in networkNames)
        {
            // A listed network exists; one only declared in the file may not: ask for it (not: remove and read
            // a 404, which a daemon logs as an error).
            if (!listed.Contains(network) && await _engine.FindNetworkAsync(network, cancellationToken).ConfigureAwait(false) is null)
            {
                continue;
            }

            _progress.Report("Network", network, "Removing");
            await _engine.RemoveNetworkAsync(network, cancellationToken).ConfigureAwait(false);
            _progress.Report("Network", network, "Removed");
        }

        if (removeVolumes)
        {
            foreach (var volume in project.Volumes.Values.Where(v => !v.External))
            {
                if (await _engine.FindVolumeAsync(volume.Name, cancellationToken).ConfigureAwait(false) is null)
                {
                    continue;
                }

                _progress.Report("Volume", volume.Name, "Removing");
                await _engine.RemoveVolumeAsync(volume.Name, force: false, cancellationToken).ConfigureAwait(false);
                _progress.Report("Volume", volume.Name, "Removed");
            }
        }

        if (removeImages is "local" or "all")
        {
            var images = project.Services.Concat(project.DisabledServices)
                .Where(s => removeImages == "all" || s.Image is null)
                .Select(s => s.ImageName(project.Name))
                .Distinct(StringComparer.Ordinal);
            foreach (var image in images)
            {
                try
                {
                    await _engine.RemoveImageAsync(image, cancellationToken).ConfigureAwait(false);
                    _progress.Report("Image", image, "Removed");
                }
                catch (EngineApiException ex) when (ex.StatusCode == 404)
                {
                    // Never built or already gone: nothing to remove.
                }
            }
        }
        else if (removeImages is not null)
        {
            throw new ComposeException($"invalid --rmi value \"{removeImages}\" (local or all)");
        }
    }
}
