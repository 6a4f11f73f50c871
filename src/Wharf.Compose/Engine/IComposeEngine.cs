using Wharf.Api.Containers;
using Wharf.Api.Events;
using Wharf.Api.Images;
using Wharf.Api.Networks;
using Wharf.Api.Volumes;

namespace Wharf.Compose.Engine;

/// <summary>The narrow part of an engine that Compose needs. <see cref="EngineClientComposeEngine"/> is the
/// real one over the Engine API; tests use a fake. Label filters are "key=value" or "key".</summary>
public interface IComposeEngine
{
    Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IEnumerable<string> labelFilters, bool all, CancellationToken cancellationToken);

    Task<ContainerInspect> InspectContainerAsync(string id, CancellationToken cancellationToken);

    Task<string> CreateContainerAsync(string name, ContainerCreateRequest request, CancellationToken cancellationToken);

    Task StartContainerAsync(string id, CancellationToken cancellationToken);

    Task StopContainerAsync(string id, int? timeoutSeconds, CancellationToken cancellationToken);

    Task RestartContainerAsync(string id, int? timeoutSeconds, CancellationToken cancellationToken);

    Task KillContainerAsync(string id, string? signal, CancellationToken cancellationToken);

    Task PauseContainerAsync(string id, CancellationToken cancellationToken);

    Task UnpauseContainerAsync(string id, CancellationToken cancellationToken);

    Task RemoveContainerAsync(string id, bool force, bool removeVolumes, CancellationToken cancellationToken);

    Task RenameContainerAsync(string id, string newName, CancellationToken cancellationToken);

    Task<long> WaitContainerAsync(string id, CancellationToken cancellationToken);

    /// <summary>Extracts a tar into the container at <paramref name="path"/> (PUT /containers/{id}/archive).</summary>
    Task CopyToContainerAsync(string id, string path, byte[] tar, bool copyUidGid, CancellationToken cancellationToken);

    Task<ContainerTopResponse> TopAsync(string id, CancellationToken cancellationToken);

    /// <summary>Copies the container's output (stdcopy-demultiplexed unless it has a TTY) to the two writers.</summary>
    Task LogsAsync(string id, bool follow, string? tail, bool timestamps, Stream stdout, Stream stderr, CancellationToken cancellationToken);

    /// <summary>Attaches to stdout/stderr before start (for run): returns a task that ends with the stream.</summary>
    Task<Task> AttachAsync(string id, bool tty, Stream stdout, Stream stderr, CancellationToken cancellationToken);

    /// <summary>Runs a command in a container, copying its output; returns its exit code.</summary>
    Task<int> ExecAsync(string id, ExecConfig config, Stream stdout, Stream stderr, CancellationToken cancellationToken);

    Task<IReadOnlyList<NetworkResource>> ListNetworksAsync(IEnumerable<string> labelFilters, CancellationToken cancellationToken);

    Task<NetworkResource?> FindNetworkAsync(string name, CancellationToken cancellationToken);

    Task<string> CreateNetworkAsync(NetworkCreateRequest request, CancellationToken cancellationToken);

    Task RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken);

    Task ConnectNetworkAsync(string network, string containerId, EndpointSettings endpoint, CancellationToken cancellationToken);

    Task<IReadOnlyList<Volume>> ListVolumesAsync(IEnumerable<string> labelFilters, CancellationToken cancellationToken);

    Task<Volume?> FindVolumeAsync(string name, CancellationToken cancellationToken);

    Task CreateVolumeAsync(VolumeCreateRequest request, CancellationToken cancellationToken);

    Task RemoveVolumeAsync(string name, bool force, CancellationToken cancellationToken);

    Task<ImageInspect?> FindImageAsync(string reference, CancellationToken cancellationToken);

    Task RemoveImageAsync(string reference, CancellationToken cancellationToken);

    /// <summary>Pulls, reporting progress lines ("Pulling fs layer" etc.).</summary>
    Task PullImageAsync(string reference, Action<string> progress, CancellationToken cancellationToken);

    Task PushImageAsync(string reference, Action<string> progress, CancellationToken cancellationToken);

    /// <summary>Builds from a context tar, tagging the result.</summary>
    Task BuildImageAsync(Stream contextTar, string tag, string? dockerfile, IReadOnlyDictionary<string, string?> buildArgs, string? target, IReadOnlyDictionary<string, string> labels, Action<string> progress, CancellationToken cancellationToken);

    IAsyncEnumerable<EventMessage> EventsAsync(IEnumerable<string> labelFilters, CancellationToken cancellationToken);
}
