using System.Text.Json;
using System.Text.Json.Serialization;
using Wharf.Api.Common;
using Wharf.Api.Containers;
using Wharf.Api.Errors;
using Wharf.Api.Events;
using Wharf.Api.Images;
using Wharf.Api.Streams;
using Wharf.Api.System;

namespace Wharf.Api;

/// <summary>
/// Source-generated JSON metadata for every DTO. Nulls are written by default because Docker writes
/// them for most fields; members Docker omits carry their own [JsonIgnore(WhenWritingNull)].
/// </summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(EmptyObject))]
[JsonSerializable(typeof(IdResponse))]
[JsonSerializable(typeof(ContainerConfig))]
[JsonSerializable(typeof(ContainerCreateRequest))]
[JsonSerializable(typeof(ContainerCreateResponse))]
[JsonSerializable(typeof(ContainerInspect))]
[JsonSerializable(typeof(ContainerSummary))]
[JsonSerializable(typeof(List<ContainerSummary>))]
[JsonSerializable(typeof(ContainerWaitResponse))]
[JsonSerializable(typeof(ContainerPruneResponse))]
[JsonSerializable(typeof(ContainerTopResponse))]
[JsonSerializable(typeof(ExecConfig))]
[JsonSerializable(typeof(ExecStartConfig))]
[JsonSerializable(typeof(ExecInspect))]
[JsonSerializable(typeof(HostConfig))]
[JsonSerializable(typeof(NetworkingConfig))]
[JsonSerializable(typeof(EndpointSettings))]
[JsonSerializable(typeof(ImageSummary))]
[JsonSerializable(typeof(List<ImageSummary>))]
[JsonSerializable(typeof(ImageInspect))]
[JsonSerializable(typeof(DistributionInspect))]
[JsonSerializable(typeof(ImageDeleteResponseItem))]
[JsonSerializable(typeof(List<ImageDeleteResponseItem>))]
[JsonSerializable(typeof(ImageHistoryItem))]
[JsonSerializable(typeof(List<ImageHistoryItem>))]
[JsonSerializable(typeof(ImagePruneResponse))]
[JsonSerializable(typeof(SystemVersion))]
[JsonSerializable(typeof(SystemInfo))]
[JsonSerializable(typeof(EventMessage))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(JsonMessage))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(List<JsonElement>))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, bool>>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(List<Ulimit>))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
