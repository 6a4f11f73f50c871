using System.Text;
using System.Text.Unicode;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Wharf.Daemon.Http;

/// <summary>Reads a request body as Docker's Go decoder does. A member sent as JSON null is as if it were absent:
/// clients rely on it (docker-py sends "StartPeriod": null, others "Env": null); without this a null refuses a number
/// member and leaves a list member null where the engine expects a default. A null element of an array, or a null
/// value in a map, becomes the element type's zero value ("" for a string, {} for an object, 0, false), as Go stores
/// it: no endpoint ever sees a null string inside a list ("Env": [null] was a NullReferenceException, a 500).</summary>
internal static class RequestJson
{
    public static async Task<T?> ReadAsync<T>(Stream body, JsonTypeInfo<T> typeInfo, CancellationToken ct)
    {
        // Bounded by the request body limit; JsonDocument would hold all of it anyway.
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, ct);
        ReadOnlyMemory<byte> utf8 = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        // Go's decoder reads invalid UTF-8 inside a string as U+FFFD. System.Text.Json parses it, then throws an
        // InvalidOperationException at the first read of that string (it was a 500); decode it as Go does instead.
        if (!Utf8.IsValid(utf8.Span)) utf8 = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(utf8.Span));
        using var document = JsonDocument.Parse(utf8);
        return FromNode(ToNode(document.RootElement), typeInfo);
    }

    public static T? Parse<T>(string text, JsonTypeInfo<T> typeInfo)
    {
        using var document = JsonDocument.Parse(text);
        return FromNode(ToNode(document.RootElement), typeInfo);
    }

    private static T? FromNode<T>(JsonNode? node, JsonTypeInfo<T> typeInfo)
    {
        if (node is null) return default;
        AsGoDecodes(node, typeInfo);
        return node.Deserialize(typeInfo);
    }

    /// <summary>The element as a mutable tree. A member sent twice keeps its last value, as Go's decoder does (JsonNode's
    /// own parser throws an ArgumentException for it, which was a 500).</summary>
    private static JsonNode? ToNode(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var member in element.EnumerateObject()) obj[member.Name] = ToNode(member.Value);
                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray()) array.Add(ToNode(item));
                return array;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return null;
            default:
                return JsonValue.Create(element.Clone());
        }
    }

    /// <summary>Rewrites the nulls of <paramref name="node"/> the way Go would decode them into <paramref name="typeInfo"/>'s
    /// type. Where the type says nothing (a JsonElement member, a custom converter), null members are dropped.</summary>
    private static void AsGoDecodes(JsonNode node, JsonTypeInfo? typeInfo)
    {
        switch (node)
        {
            case JsonObject obj when typeInfo?.Kind == JsonTypeInfoKind.Object:
                foreach (var name in obj.Where(p => p.Value is null).Select(p => p.Key).ToList()) obj.Remove(name);
                foreach (var (name, value) in obj) AsGoDecodes(value!, MemberInfo(typeInfo, name));
                break;
            case JsonObject map when typeInfo?.Kind == JsonTypeInfoKind.Dictionary:
                var valueInfo = ElementInfo(typeInfo);
                foreach (var key in map.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    if (ZeroValue(valueInfo) is { } zero) map[key] = zero;
                    else map.Remove(key);
                }
                foreach (var (_, value) in map) AsGoDecodes(value!, valueInfo);
                break;
            case JsonArray array when typeInfo?.Kind == JsonTypeInfoKind.Enumerable:
                var elementInfo = ElementInfo(typeInfo);
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item) AsGoDecodes(item, elementInfo);
                    else array[i] = ZeroValue(elementInfo);
                }
                break;
            default:
                DropNullMembers(node);
                break;
        }
    }

    /// <summary>Removes every object member whose value is null, at any depth.</summary>
    public static void DropNullMembers(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Where(p => p.Value is null).Select(p => p.Key).ToList()) obj.Remove(name);
                foreach (var (_, value) in obj) DropNullMembers(value!);
                break;
            case JsonArray array:
                foreach (var item in array)
                    if (item is not null) DropNullMembers(item);
                break;
        }
    }

    private static JsonTypeInfo? MemberInfo(JsonTypeInfo owner, string name)
    {
        var comparison = owner.Options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var property = owner.Properties.FirstOrDefault(p => string.Equals(p.Name, name, comparison));
        return property is not null && owner.Options.TryGetTypeInfo(property.PropertyType, out var info) ? info : null;
    }

    private static JsonTypeInfo? ElementInfo(JsonTypeInfo collection) =>
        collection.ElementType is { } type && collection.Options.TryGetTypeInfo(type, out var info) ? info : null;

    /// <summary>Go's zero value for what a null element becomes; null where Go would keep a nil (pointers, slices).</summary>
    private static JsonNode? ZeroValue(JsonTypeInfo? info) => info switch
    {
        null => null,
        { Type: var t } when t == typeof(string) => JsonValue.Create(""),
        { Type: var t } when t == typeof(bool) => JsonValue.Create(false),
        { Type: var t } when t.IsPrimitive || t == typeof(decimal) => JsonValue.Create(0),
        { Kind: JsonTypeInfoKind.Object } => new JsonObject(),
        _ => null,
    };
}
