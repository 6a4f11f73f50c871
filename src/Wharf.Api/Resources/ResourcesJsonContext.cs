using System.Text.Json.Serialization;

namespace Wharf.Api.Resources;

/// <summary>Source-generated JSON for stats and update (kept apart from ApiJsonContext so this feature adds files
/// rather than edits).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ContainerStatsResponse))]
[JsonSerializable(typeof(ContainerUpdateRequest))]
[JsonSerializable(typeof(ContainerUpdateResponse))]
public sealed partial class ResourcesJsonContext : JsonSerializerContext;
