using System.Runtime.CompilerServices;
using Wharf.Api.Containers;
using Wharf.Api.Events;
using Wharf.Api.Images;
using Wharf.Api.Networks;
using Wharf.Api.Volumes;
using Wharf.Compose.Engine;

namespace Wharf.Compose.Tests;

/// <summary>An in-memory engine that records every call, for planner/executor tests.</summary>
internal sealed class FakeComposeEngine : IComposeEngine
{
    private int _next;

    public List<string> Calls { get; } = [];

    public Dictionary<string, (string Name, ContainerCreateRequest Request, string State)> Containers { get; } = [];

    public Dictionary<string, NetworkCreateRequest> Networks { get; } = [];

    public Dictionary<string, VolumeCreateRequest> Volumes { get; } = [];

    public HashSet<string> Images { get; } = ["busybox:latest", "busybox"];

    public List<(string Network, string Container, EndpointSettings Endpoint)> Connections { get; } = [];

    private void Record(string call)
    {
        lock (Calls)
        {
            Calls.Add(call);
        }
    }

    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IEnumerable<string> labelFilters, bool all, CancellationToken cancellationToken)
    {
        var filters = labelFilters.ToList();
        lock (Containers)
        {
            var list = Containers
                .Where(c => all || c.Value.State == "running")
                .Where(c => filters.All(f => Matches(c.Value.Request.Labels, f)))
                .Select(c => new ContainerSummary
                {
                    Id = c.Key,
                    Names = ["/" + c.Value.Name],
                    Image = c.Value.Request.Image ?? "",
                    Labels = new Dictionary<string, string>(c.Value.Request.Labels!),
                    State = c.Value.State,
                    Status = c.Value.State,
                })
                .ToList();
            return Task.FromResult<IReadOnlyList<ContainerSummary>>(list);
        }
    }

    private static bool Matches(Dictionary<string, string>? labels, string filter)
    {
        var eq = filter.IndexOf('=', StringComparison.Ordinal);
        return labels is not null && (eq < 0 ? labels.ContainsKey(filter) : labels.GetValueOrDefault(filter[..eq]) == filter[(eq + 1)..]);
    }

    public Task<ContainerInspect> InspectContainerAsync(string id, CancellationToken cancellationToken)
    {
        var c = Containers[id];
        return Task.FromResult(new ContainerInspect { Id = id, Name = "/" + c.Name, State = new ContainerState { Status = c.State, Running = c.State == "running" } });
    }

    public Task<string> CreateContainerAsync(string name, ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        lock (Containers)
        {
            if (Containers.Values.Any(c => c.Name == name))
            {
                throw new Wharf.Api.Client.EngineApiException(409, $"Conflict. The container name \"/{name}\" is already in use");
            }

            var id = "c" + (++_next).ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
            Containers[id] = (name, request, "created");
            Record("create " + name);
            return Task.FromResult(id);
        }
    }

    private void SetState(string id, string state, string verb)
    {
        lock (Containers)
        {
            var c = Containers[id];
            Containers[id] = (c.Name, c.Request, state);
            Record($"{verb} {c.Name}");
        }
    }

    /// <summary>Containers whose start fails as a daemon error would.</summary>
    public HashSet<string> FailStart { get; } = new(StringComparer.Ordinal);

    public Task StartContainerAsync(string id, CancellationToken cancellationToken)
    {
        if (FailStart.Contains(Containers[id].Name))
        {
            Record("start-failed " + Containers[id].Name);
            throw new Wharf.Api.Client.EngineApiException(500, $"failed to start {Containers[id].Name}: bind: address already in use");
        }

        SetState(id, "running", "start");
        return Task.CompletedTask;
    }

    public Task StopContainerAsync(string id, int? timeoutSeconds, CancellationToken cancellationToken)
    {
        SetState(id, "exited", "stop");
        return Task.CompletedTask;
    }

    public Task RestartContainerAsync(string id, int? timeoutSeconds, CancellationToken cancellationToken)
    {
        SetState(id, "running", "restart");
        return Task.CompletedTask;
    }

    public Task KillContainerAsync(string id, string? signal, CancellationToken cancellationToken)
    {
        SetState(id, "exited", "kill");
        return Task.CompletedTask;
    }

    public Task PauseContainerAsync(string id, CancellationToken cancellationToken)
    {
        SetState(id, "paused", "pause");
        return Task.CompletedTask;
    }

    public Task UnpauseContainerAsync(string id, CancellationToken cancellationToken)
    {
        SetState(id, "running", "unpause");
        return Task.CompletedTask;
    }

    public Task RemoveContainerAsync(string id, bool force, bool removeVolumes, CancellationToken cancellationToken)
    {
        lock (Containers)
        {
            Record("rm " + Containers[id].Name);
            Containers.Remove(id);
        }

        return Task.CompletedTask;
    }

    public Task RenameContainerAsync(string id, string newName, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<long> WaitContainerAsync(string id, CancellationToken cancellationToken) => Task.FromResult(0L);

    /// <summary>Tars copied into containers, by container name.</summary>
    public List<(string Container, string Path, byte[] Tar, bool CopyUidGid)> Copies { get; } = [];

    public Task CopyToContainerAsync(string id, string path, byte[] tar, bool copyUidGid, CancellationToken cancellationToken)
    {
        lock (Copies)
        {
            Copies.Add((Containers[id].Name, path, tar, copyUidGid));
        }

        Record($"copy {Containers[id].Name} {path}");
        return Task.CompletedTask;
    }

    public Task<ContainerTopResponse> TopAsync(string id, CancellationToken cancellationToken) => Task.FromResult(new ContainerTopResponse());

    public Task LogsAsync(string id, bool follow, string? tail, bool timestamps, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes($"hello from {Containers[id].Name}\n");
        stdout.Write(bytes);
        return Task.CompletedTask;
    }

    public Task<Task> AttachAsync(string id, bool tty, Stream stdout, Stream stderr, CancellationToken cancellationToken) => Task.FromResult(Task.CompletedTask);

    public Task<int> ExecAsync(string id, ExecConfig config, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        Record($"exec {Containers[id].Name} {string.Join(' ', config.Cmd ?? [])}");
        return Task.FromResult(0);
    }

    public Task<IReadOnlyList<NetworkResource>> ListNetworksAsync(IEnumerable<string> labelFilters, CancellationToken cancellationToken)
    {
        var filters = labelFilters.ToList();
        var list = Networks.Where(n => filters.All(f => Matches(n.Value.Labels, f))).Select(n => new NetworkResource { Name = n.Key, Id = n.Key }).ToList();
        return Task.FromResult<IReadOnlyList<NetworkResource>>(list);
    }

    /// <summary>How many single-network inspects were sent.</summary>
    public int NetworkLookups => _networkLookups;

    private int _networkLookups;

    public Task<NetworkResource?> FindNetworkAsync(string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _networkLookups);
        return Task.FromResult(Networks.ContainsKey(name) ? new NetworkResource { Name = name, Id = name } : null);
    }

    public Task<string> CreateNetworkAsync(NetworkCreateRequest request, CancellationToken cancellationToken)
    {
        Networks[request.Name] = request;
        Record("network create " + request.Name);
        return Task.FromResult(request.Name);
    }

    public Task RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken)
    {
        Networks.Remove(idOrName);
        Record("network rm " + idOrName);
        return Task.CompletedTask;
    }

    public Task ConnectNetworkAsync(string network, string containerId, EndpointSettings endpoint, CancellationToken cancellationToken)
    {
        lock (Connections)
        {
            Connections.Add((network, containerId, endpoint));
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Volume>> ListVolumesAsync(IEnumerable<string> labelFilters, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Volume>>(Volumes.Keys.Select(v => new Volume { Name = v }).ToList());

    public Task<Volume?> FindVolumeAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Volumes.ContainsKey(name) ? new Volume { Name = name } : null);

    public Task CreateVolumeAsync(VolumeCreateRequest request, CancellationToken cancellationToken)
    {
        Volumes[request.Name!] = request;
        Record("volume create " + request.Name);
        return Task.CompletedTask;
    }

    public Task RemoveVolumeAsync(string name, bool force, CancellationToken cancellationToken)
    {
        Volumes.Remove(name);
        Record("volume rm " + name);
        return Task.CompletedTask;
    }

    /// <summary>Image ids by reference; images not listed here have the id sha256:aaa…</summary>
    public Dictionary<string, string> ImageIds { get; } = new(StringComparer.Ordinal);

    /// <summary>How many image inspects were sent.</summary>
    public int ImageLookups => _imageLookups;

    private int _imageLookups;

    public Task<ImageInspect?> FindImageAsync(string reference, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _imageLookups);
        return Task.FromResult(Images.Contains(reference) ? new ImageInspect { Id = ImageIds.GetValueOrDefault(reference, "sha256:" + new string('a', 64)) } : null);
    }

    public Task RemoveImageAsync(string reference, CancellationToken cancellationToken)
    {
        Record("rmi " + reference);
        return Task.CompletedTask;
    }

    public Task PullImageAsync(string reference, Action<string> progress, CancellationToken cancellationToken)
    {
        Record("pull " + reference);
        Images.Add(reference);
        return Task.CompletedTask;
    }

    public Task PushImageAsync(string reference, Action<string> progress, CancellationToken cancellationToken)
    {
        Record("push " + reference);
        return Task.CompletedTask;
    }

    public Task BuildImageAsync(Stream contextTar, string tag, string? dockerfile, IReadOnlyDictionary<string, string?> buildArgs, string? target, IReadOnlyDictionary<string, string> labels, Action<string> progress, CancellationToken cancellationToken)
    {
        Record("build " + tag);
        Images.Add(tag);
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<EventMessage> EventsAsync(IEnumerable<string> labelFilters, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        yield break;
    }
}
