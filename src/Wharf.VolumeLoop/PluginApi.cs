using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wharf.VolumeLoop;

/// <summary>The HTTP side of Docker's volume plugin protocol: every call is a POST with a JSON body and a JSON
/// answer whose "Err" is empty on success.</summary>
internal static class PluginApi
{
    private const string MediaType = "application/vnd.docker.plugins.v1.2+json";

    public static void Map(IEndpointRouteBuilder app, LoopVolumeDriver driver)
    {
        Handle(app, "/Plugin.Activate", (_, _) => new JsonObject { ["Implements"] = new JsonArray("VolumeDriver") });
        Handle(app, "/VolumeDriver.Capabilities", (_, _) => new JsonObject { ["Capabilities"] = new JsonObject { ["Scope"] = "local" } });
        Handle(app, "/VolumeDriver.Create", (name, body) =>
        {
            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            if (body["Opts"] is JsonObject opts)
                foreach (var (k, v) in opts) options[k] = v?.GetValue<string>() ?? "";
            driver.Create(name, options);
            return Ok();
        });
        Handle(app, "/VolumeDriver.Remove", (name, _) => { driver.Remove(name); return Ok(); });
        Handle(app, "/VolumeDriver.Mount", (name, body) => Ok("Mountpoint", driver.Mount(name, Id(body))));
        Handle(app, "/VolumeDriver.Unmount", (name, body) => { driver.Unmount(name, Id(body)); return Ok(); });
        Handle(app, "/VolumeDriver.Path", (name, _) => Ok("Mountpoint", driver.PathOf(name) ?? throw new DriverException($"no such volume: {name}")));
        Handle(app, "/VolumeDriver.Get", (name, _) =>
        {
            var path = driver.PathOf(name) ?? throw new DriverException($"no such volume: {name}");
            return new JsonObject
            {
                ["Volume"] = new JsonObject
                {
                    ["Name"] = name,
                    ["Mountpoint"] = path,
                    ["Status"] = new JsonObject { ["size"] = driver.SizeOf(name) },
                },
                ["Err"] = "",
            };
        });
        Handle(app, "/VolumeDriver.List", (_, _) =>
        {
            var list = new JsonArray();
            foreach (var name in driver.List()) list.Add(new JsonObject { ["Name"] = name, ["Mountpoint"] = driver.PathOf(name) ?? "" });
            return new JsonObject { ["Volumes"] = list, ["Err"] = "" };
        });
    }

    private static string Id(JsonObject body) => body["ID"]?.GetValue<string>() ?? "";

    private static JsonObject Ok(string? key = null, string? value = null)
    {
        var answer = new JsonObject { ["Err"] = "" };
        if (key is not null) answer[key] = value;
        return answer;
    }

    private static void Handle(IEndpointRouteBuilder app, string path, Func<string, JsonObject, JsonObject> handler) =>
        app.MapPost(path, async (HttpContext context) =>
        {
            JsonObject answer;
            try
            {
                using var reader = new StreamReader(context.Request.Body);
                var text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
                // Docker sends "null" (or nothing) to calls without arguments, such as Plugin.Activate.
                var node = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
                var body = node as JsonObject ?? [];
                var name = body["Name"]?.GetValue<string>() ?? "";
                answer = handler(name, body);
            }
            catch (Exception e) when (e is DriverException or JsonException or InvalidOperationException or IOException or FormatException)
            {
                answer = new JsonObject { ["Err"] = e.Message };
            }
            context.Response.ContentType = MediaType;
            await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
        });
}
