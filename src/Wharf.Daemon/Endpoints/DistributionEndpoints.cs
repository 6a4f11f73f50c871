using System.Globalization;
using System.Text;
using System.Text.Json;
using Wharf.Daemon.Http;
using Wharf.Api;
using Wharf.Api.Streams;
using Wharf.Core.Errors;
using Wharf.Engine.Distribution;
using Wharf.Engine.Images;

namespace Wharf.Daemon.Endpoints;

/// <summary>Pull (POST /images/create?fromImage=), push (POST /images/{name}/push) and login (POST /auth). Pull and push
/// answer with a JSON progress stream; it starts with the first progress message, so failures before it (unknown
/// manifest, refused credentials) are still plain HTTP errors, as with Docker.</summary>
internal static class DistributionEndpoints
{
    public static void MapDistributionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/auth", LoginAsync);
        app.MapGet("/distribution/{**rest}", DescribeAsync);
    }

    /// <summary>GET /distribution/{name}/json (the name holds '/' and ':' unescaped).</summary>
    private static async Task<IResult> DescribeAsync(string rest, HttpContext context, ImageDistributionService distribution)
    {
        if (!rest.EndsWith("/json", StringComparison.Ordinal))
            return Results.Json(new Wharf.Api.Errors.ErrorResponse { Message = "page not found" }, ApiJsonContext.Default.ErrorResponse, statusCode: 404);
        var reference = ImageReference.Parse(rest[..^"/json".Length]);
        var description = await distribution.DescribeAsync(reference, ReadAuth(context.Request), context.RequestAborted);
        var inspect = new Wharf.Api.Images.DistributionInspect
        {
            Descriptor = new() { MediaType = description.MediaType, Digest = description.Digest, Size = description.Size },
            Platforms = [.. description.Platforms.Select(p => new Wharf.Api.Images.DistributionPlatformDto { Os = p.Os, Architecture = p.Architecture, Variant = p.Variant })],
        };
        return Results.Json(inspect, ApiJsonContext.Default.DistributionInspect);
    }

    public static async Task PullAsync(HttpContext context, string fromImage)
    {
        var distribution = context.RequestServices.GetRequiredService<ImageDistributionService>();
        var request = context.Request;
        var tag = request.Query["tag"].ToString();
        var text = fromImage;
        if (tag.Length > 0) text += tag.Contains(':', StringComparison.Ordinal) ? "@" + tag : ":" + tag;
        var reference = ImageReference.Parse(text);
        var platform = request.Query["platform"].ToString();
        if (platform.Length > 0) PlatformSpec.ParseRunnable(platform); // refused with a 400 before the pull starts, as dockerd does
        // The API's "all tags": no tag parameter and none in fromImage (docker pull -a).
        if (tag.Length == 0 && reference.Digest is null && !HasTag(fromImage))
        {
            await StreamAsync(context, report => distribution.PullAllTagsAsync(reference, platform.Length > 0 ? platform : null, ReadAuth(request), report, context.RequestAborted));
            return;
        }
        await StreamAsync(context, report => distribution.PullAsync(reference, platform.Length > 0 ? platform : null, ReadAuth(request), report, context.RequestAborted));
    }

    private static bool HasTag(string image) => image.IndexOf(':', Math.Max(0, image.LastIndexOf('/'))) >= 0;

    public static async Task PushAsync(HttpContext context, string name)
    {
        var distribution = context.RequestServices.GetRequiredService<ImageDistributionService>();
        var tag = context.Request.Query["tag"].ToString();
        await StreamAsync(context, report => distribution.PushAsync(name, tag.Length > 0 ? tag : null, ReadAuth(context.Request), report, context.RequestAborted));
    }

    private static async Task<IResult> LoginAsync(HttpContext context, ImageDistributionService distribution)
    {
        using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var credentials = Credentials(document.RootElement, out var server);
        await distribution.LoginAsync(server ?? "", credentials ?? new RegistryCredentials(null, null), context.RequestAborted);
        var body = "{\"Status\":\"Login Succeeded\",\"IdentityToken\":\"\"}";
        return Results.Text(body, "application/json", Encoding.UTF8);
    }

    private static async Task StreamAsync(HttpContext context, Func<Func<DistributionProgress, Task>, Task> run)
    {
        var response = context.Response;
        var started = false;
        async Task Report(DistributionProgress progress)
        {
            if (!started)
            {
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/json";
                started = true;
            }
            await WriteAsync(response, ToMessage(progress), context.RequestAborted);
            // Docker sends the push result twice: as a status line, then as aux data the CLI hands to its callback.
            if (progress.PushResult is { } result) await WriteAsync(response, AuxMessage(result), context.RequestAborted);
        }
        try
        {
            await run(Report);
        }
        catch (Exception e) when (started && e is not OperationCanceledException)
        {
            var message = e is EngineException or HttpRequestException or IOException ? e.Message : "unexpected error: " + e.Message;
            await WriteAsync(response, new JsonMessage { Error = message, ErrorDetail = new JsonError { Message = message } }, CancellationToken.None);
        }
    }

    private static async Task WriteAsync(HttpResponse response, JsonMessage message, CancellationToken ct)
    {
        await JsonLines.WriteAsync(response.Body, message, ApiJsonContext.Default.JsonMessage, ct);
        await response.Body.FlushAsync(ct);
    }

    private static JsonMessage ToMessage(DistributionProgress progress)
    {
        var message = new JsonMessage { Id = progress.Id, Status = progress.Status };
        if (progress.Current is { } current)
        {
            var total = progress.Total ?? 0;
            message.ProgressDetail = new JsonProgress { Current = current, Total = total };
            message.Progress = ProgressBar(current, total);
        }
        else if (progress.Id is not null && !progress.Status.StartsWith("Pulling from", StringComparison.Ordinal))
        {
            message.ProgressDetail = new JsonProgress();
        }
        return message;
    }

    private static JsonMessage AuxMessage((string Tag, string Digest, long Size) result)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("Tag", result.Tag);
            json.WriteString("Digest", result.Digest);
            json.WriteNumber("Size", result.Size);
            json.WriteEndObject();
        }
        using var document = JsonDocument.Parse(buffer.ToArray());
        return new JsonMessage { ProgressDetail = new JsonProgress(), Aux = document.RootElement.Clone() };
    }

    /// <summary>Docker's "[=====>     ]  1.2MB/3.4MB".</summary>
    private static string ProgressBar(long current, long total)
    {
        if (total <= 0) return Size(current);
        const int width = 50;
        var filled = (int)Math.Min(width, current * width / total);
        var bar = new string('=', filled) + (filled < width ? ">" : "") + new string(' ', Math.Max(0, width - filled - 1));
        return $"[{bar}] {Size(current)}/{Size(total)}";
    }

    private static string Size(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        return value.ToString(unit == 0 ? "0" : "0.##", CultureInfo.InvariantCulture) + units[unit];
    }

    /// <summary>X-Registry-Auth: base64url(JSON AuthConfig); "e30=" ({}) or absent means anonymous.</summary>
    private static RegistryCredentials? ReadAuth(HttpRequest request)
    {
        var header = request.Headers["X-Registry-Auth"].ToString();
        if (header.Length == 0) return null;
        try
        {
            var padded = header.Replace('-', '+').Replace('_', '/');
            padded = padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '=');
            using var document = JsonDocument.Parse(Convert.FromBase64String(padded));
            return Credentials(document.RootElement, out _);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private static RegistryCredentials? Credentials(JsonElement auth, out string? server)
    {
        string? Text(string name) => auth.ValueKind == JsonValueKind.Object && auth.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        server = Text("serveraddress");
        var user = Text("username");
        var password = Text("password");
        if (string.IsNullOrEmpty(user) && Text("auth") is { Length: > 0 } basic)
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(basic));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) (user, password) = (decoded[..colon], decoded[(colon + 1)..]);
        }
        var credentials = new RegistryCredentials(user, password, Text("identitytoken"), Text("registrytoken"));
        return credentials.IsEmpty ? null : credentials;
    }
}
