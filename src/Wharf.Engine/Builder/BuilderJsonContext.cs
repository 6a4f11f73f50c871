using System.Text.Json.Serialization;

namespace Wharf.Engine.Builder;

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class BuilderJsonContext : JsonSerializerContext;
