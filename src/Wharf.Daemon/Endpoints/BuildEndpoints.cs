using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Wharf.Api;
using Wharf.Api.Streams;
using Wharf.Core.Errors;
using Wharf.Daemon.Http;
using Wharf.Engine.Builder;
using Wharf.Engine.Containers;
using Wharf.Engine.Images;

namespace Wharf.Daemon.Endpoints;

/// <summary>POST /build: the legacy builder the docker CLI uses with DOCKER_BUILDKIT=0. The answer is a JSON message
/// stream: {"stream": text}, {"aux": {"ID": id}}, and on failure {"errorDetail": ..., "error": ...}.</summary>
internal static class BuildEndpoints
{
    public static void MapBuildEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/build", BuildAsync).AllowStreamingBody(); // the build context, as a tar
        // Docker's build cache prune empties BuildKit's cache; the legacy builder's cache is the images themselves
        // (pruned with the images), so, as on Docker after legacy builds only, there is nothing to delete here.
        app.MapPost("/build/prune", (HttpRequest request) =>
        {
            // keep-storage (reserved-space since API 1.48) says how much cache to keep; with nothing to delete it only
            // needs to be a number, which Docker checks with these words.
            foreach (var name in new[] { "keep-storage", "reserved-space" })
            {
                if (request.String(name) is { Length: > 0 } value && !long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
                    throw EngineException.Invalid($"{name} is in bytes and expects an integer, got {value}");
            }
            return Results.Text("{\"CachesDeleted\":[],\"SpaceReclaimed\":0}\n", "application/json");
        });
        // BuildKit's session channel: Wharf builds with the legacy builder only (/_ping says Builder-Version 1).
        app.MapPost("/session", () => Results.Json(new Wharf.Api.Errors.ErrorResponse { Message = "BuildKit sessions are not supported: Wharf has only the legacy builder" },
            ApiJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status501NotImplemented));
    }

    private static async Task BuildAsync(HttpContext context, ImageBuilder builder, ImageService images, Configuration.DaemonSettings settings)
    {
        var request = context.Request;
        // Refused before the context is read, with dockerd's wording: an unparsable platform, and --squash on a
        // daemon without experimental mode.
        if (!string.IsNullOrEmpty(request.String("platform"))) PlatformSpec.Parse(request.String("platform"));
        var squash = request.Bool("squash");
        if (squash && !settings.Experimental) throw EngineException.Invalid("squash is only supported with experimental mode");
        var tags = request.Query["t"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList();
        foreach (var tag in tags) ImageReference.Parse(tag); // invalid names fail before anything runs
        var options = new BuildOptions(
            Dockerfile: string.IsNullOrEmpty(request.String("dockerfile")) ? "Dockerfile" : request.String("dockerfile")!,
            Tags: tags,
            BuildArgs: ParseMap(request.String("buildargs")),
            Labels: ParseMap(request.String("labels")).Where(l => l.Value is not null).ToDictionary(l => l.Key, l => l.Value!, StringComparer.Ordinal),
            Target: string.IsNullOrEmpty(request.String("target")) ? null : request.String("target"),
            NoCache: request.Bool("nocache"),
            Quiet: request.Bool("q"),
            ExtraHosts: ExtraHostsOf(request),
            NetworkMode: request.String("networkmode") ?? "",
            CacheFrom: string.IsNullOrEmpty(request.String("cachefrom")) ? null : ParseList(request.String("cachefrom")!),
            Resources: ResourcesOf(request),
            Squash: squash);

        context.Features.Get<IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
        context.Response.ContentType = "application/json";
        var gate = new SemaphoreSlim(1, 1);
        async Task Send(JsonMessage message)
        {
            await gate.WaitAsync(CancellationToken.None);
            try
            {
                await JsonLines.WriteAsync(context.Response.Body, message, ApiJsonContext.Default.JsonMessage, CancellationToken.None);
                await context.Response.Body.FlushAsync(CancellationToken.None);
            }
            finally
            {
                gate.Release();
            }
        }

        try
        {
            var image = await Task.Run(() => builder.BuildAsync(request.Body, options, text => Send(new JsonMessage { Stream = text }), context.RequestAborted));
            using (var aux = JsonDocument.Parse($"{{\"ID\":\"{image.Id}\"}}"))
            {
                await Send(new JsonMessage { Aux = aux.RootElement.Clone() });
            }
            if (!options.Quiet)
            {
                await Send(new JsonMessage { Stream = $"Successfully built {image.ShortId}\n" });
            }
            else
            {
                // docker build -q prints exactly the streamed text: the image id, as Docker's legacy builder sends it.
                await Send(new JsonMessage { Stream = image.Id + "\n" });
            }
            foreach (var tag in tags)
            {
                var reference = ImageReference.Parse(tag);
                images.Tag(image.Id.Value, reference.FamiliarName, reference.Tag);
                if (!options.Quiet) await Send(new JsonMessage { Stream = $"Successfully tagged {reference.FamiliarString}\n" });
            }
        }
        catch (BuildStepException e)
        {
            await Send(new JsonMessage { Error = e.Message, ErrorDetail = new JsonError { Code = e.ExitCode, Message = e.Message } });
        }
        catch (EngineException e)
        {
            await Send(new JsonMessage { Error = e.Message, ErrorDetail = new JsonError { Message = e.Message } });
        }
    }

    /// <summary>The RUN containers' limits, read as Docker's build router reads them (a number that does not parse counts
    /// as 0). Security options are Windows' credential specs only, and isolation has only its default on Linux: both
    /// are refused with Docker's words.</summary>
    private static BuildResources ResourcesOf(HttpRequest request)
    {
        if (request.Query["securityopt"].Count > 0)
            throw EngineException.Invalid("The daemon on this platform does not support setting security options on build");
        if (request.String("isolation") is { Length: > 0 } isolation && !isolation.Equals("default", StringComparison.OrdinalIgnoreCase))
            throw EngineException.Invalid($"Unsupported isolation: \"{isolation}\"");
        long Long(string name) =>
            long.TryParse(request.String(name), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : 0;
        var ulimits = new List<UlimitSetting>();
        if (request.String("ulimits") is { Length: > 0 } json)
        {
            try
            {
                ulimits = JsonSerializer.Deserialize(json, ApiJsonContext.Default.ListUlimit)?.Select(u => new UlimitSetting { Name = u.Name ?? "", Soft = u.Soft, Hard = u.Hard }).ToList() ?? [];
            }
            catch (JsonException e)
            {
                throw EngineException.Invalid($"invalid JSON in build parameters: {e.Message}");
            }
        }
        return new BuildResources
        {
            Memory = Long("memory"),
            MemorySwap = Long("memswap"),
            CpuShares = Long("cpushares"),
            CpuPeriod = Long("cpuperiod"),
            CpuQuota = Long("cpuquota"),
            CpusetCpus = request.String("cpusetcpus") ?? "",
            CpusetMems = request.String("cpusetmems") ?? "",
            ShmSize = Long("shmsize"),
            Ulimits = ulimits,
            CgroupParent = request.String("cgroupparent") ?? "",
        };
    }

    /// <summary>extrahosts: the docker CLI sends one "name:ip" per parameter, docker-py repeats the parameter too;
    /// a comma-separated value is split as Docker's form parsing leaves it to the builder.</summary>
    private static List<string> ExtraHostsOf(HttpRequest request) =>
        [.. request.Query["extrahosts"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    private static List<string> ParseList(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, ApiJsonContext.Default.ListString) ?? [];
        }
        catch (JsonException e)
        {
            throw EngineException.Invalid($"invalid JSON in build parameters: {e.Message}");
        }
    }

    private static Dictionary<string, string?> ParseMap(string? json)
    {
        if (string.IsNullOrEmpty(json)) return new Dictionary<string, string?>(StringComparer.Ordinal);
        try
        {
            var parsed = JsonSerializer.Deserialize(json, ApiJsonContext.Default.DictionaryStringString);
            return parsed?.ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal) ?? new Dictionary<string, string?>(StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw EngineException.Invalid($"invalid JSON in build parameters: {e.Message}");
        }
    }
}
