using System.Text.Json.Serialization;
using Wharf.Api.Common;

namespace Wharf.Api.ImageStore;

/// <summary>Source-generated JSON for the image-store endpoints (diff, commit, save/load, df, build).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(List<FilesystemChange>))]
[JsonSerializable(typeof(SystemDfResponse))]
[JsonSerializable(typeof(IdResponse))]
public sealed partial class ImageStoreJsonContext : JsonSerializerContext;
