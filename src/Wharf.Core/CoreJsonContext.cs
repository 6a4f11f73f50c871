using System.Text.Json.Serialization;
using Wharf.Core.Oci;
using Wharf.Core.Shim;

namespace Wharf.Core;

/// <summary>Source-generated JSON for every Core document (AOT-safe: the shim and CLI are NativeAOT).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ShimRequest))]
[JsonSerializable(typeof(ShimResponse))]
[JsonSerializable(typeof(ShimExitRecord))]
[JsonSerializable(typeof(JsonLogEntry))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(RuntimeSpec))]
[JsonSerializable(typeof(SpecResources))]
public sealed partial class CoreJsonContext : JsonSerializerContext;
