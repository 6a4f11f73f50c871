using System.Text.Json.Serialization;

namespace Wharf.Engine.Containers.Security;

/// <summary>Source-generated JSON for user seccomp profiles. Case-insensitive like Go's decoder, which is what
/// Docker users' profiles were written against.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(SeccompProfile))]
internal sealed partial class SecurityJsonContext : JsonSerializerContext;
