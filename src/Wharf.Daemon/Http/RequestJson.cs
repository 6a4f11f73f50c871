using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Wharf.Daemon.Http;

/// <summary>Reads a request body as Docker's Go decoder does: a member sent as JSON null is as if it were absent.
/// Clients rely on it (docker-py sends "StartPeriod": null, others "Env": null); without this a null refuses a
/// number member and leaves a list member null where the engine expects a default. Nulls inside arrays stay.</summary>
internal static class RequestJson
{
    public static async Task<T?> ReadAsync<T>(Stream body, JsonTypeInfo<T> typeInfo, CancellationToken ct)
    {
        var node = await JsonNode.ParseAsync(body, cancellationToken: ct);
        return FromNode(node, typeInfo);
    }

    public static T? Parse<T>(string text, JsonTypeInfo<T> typeInfo) => FromNode(JsonNode.Parse(text), typeInfo);

    private static T? FromNode<T>(JsonNode? node, JsonTypeInfo<T> typeInfo)
    {
        if (node is null) return default;
        DropNullMembers(node);
        return node.Deserialize(typeInfo);
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
}
