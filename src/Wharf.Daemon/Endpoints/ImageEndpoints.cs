using System.Text.Json;
using Wharf.Api;
using Wharf.Api.Images;
using Wharf.Api.Streams;
using Wharf.Core.Errors;
using Wharf.Daemon.Http;
using Wharf.Daemon.Mapping;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Filters;
using Wharf.Engine.Images;

namespace Wharf.Daemon.Endpoints;

/// <summary>/images/*. Image names contain '/' and ':' unescaped ("/images/capx/bb:t1/json"), so one catch-all
/// route splits the action off the end.</summary>
internal static class ImageEndpoints
{
    private static readonly string[] ListFilterKeys = ["dangling", "reference", "label", "before", "since"];

    public static void MapImageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/images/json", List);
        app.MapPost("/images/create", CreateAsync).AllowStreamingBody(); // docker import -: the archive
        app.MapMethods("/images/{**rest}", ["GET", "POST", "DELETE"], DispatchAsync);
    }

    private static Task<IResult> DispatchAsync(string rest, HttpContext context, ImageService images, ContainerService containers)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsDelete(method)) return Task.FromResult(Remove(rest, context.Request, images, containers));
        // Searching means asking Docker Hub's index, which an offline engine cannot reach.
        if (HttpMethods.IsGet(method) && rest == "search")
            throw new EngineException(ErrorKind.NotImplemented, "Wharf does not search registries: docker search needs Docker Hub's index");
        var slash = rest.LastIndexOf('/');
        if (slash > 0)
        {
            var name = rest[..slash];
            var action = rest[(slash + 1)..];
            if (HttpMethods.IsGet(method) && action == "json") return Task.FromResult(Inspect(name, images, context.RequestServices.GetService<Wharf.Engine.Distribution.ImageDistributionService>()));
            if (HttpMethods.IsGet(method) && action == "history") return Task.FromResult(History(name, images));
            if (HttpMethods.IsPost(method) && action == "tag") return Task.FromResult(Tag(name, context.Request, images));
            if (HttpMethods.IsGet(method) && action == "get") return Task.FromResult(ImageArchiveEndpoints.Save([name], images));
            if (HttpMethods.IsPost(method) && action == "push")
                return PushAsync(name, context);
            if (HttpMethods.IsGet(method) && action == "attestations")
            {
                images.Resolve(name); // an unknown image is still "No such image"
                throw new EngineException(ErrorKind.NotImplemented, "image attestations need the containerd image store, which Wharf does not have");
            }
        }
        return Task.FromResult(Results.Json(new Wharf.Api.Errors.ErrorResponse { Message = "page not found" }, ApiJsonContext.Default.ErrorResponse, statusCode: 404));
    }

    private static IResult List(HttpRequest request, ImageService images, ContainerService containers)
    {
        var distribution = request.HttpContext.RequestServices.GetService<Wharf.Engine.Distribution.ImageDistributionService>();
        var filters = FilterSet.Parse(request.String("filters"));
        filters.Validate(ListFilterKeys);
        // Without ?all=1 Docker hides the legacy builder's intermediate images: untagged ones another image is built on.
        var showIntermediate = request.Bool("all");
        var all = images.List()
            .Where(image => showIntermediate || image.RepoTags.Count > 0 || !images.HasChildren(image.Id))
            .Where(image => MatchesListFilters(image, filters, images)).OrderByDescending(i => i.Created);
        var list = all.Select(image => new ImageSummary
        {
            Id = image.Id.ToString(),
            ParentId = image.Parent ?? "",
            RepoTags = [.. image.RepoTags],
            RepoDigests = distribution is null ? [] : [.. distribution.RepoDigests.Get(image.Id)],
            Created = image.Created.ToUnixTimeSeconds(),
            Size = image.Size,
            SharedSize = -1,
            Labels = image.Config.Config.Labels?.ToDictionary(),
            Containers = -1,
        }).ToList();
        return Results.Json(list, ApiJsonContext.Default.ListImageSummary);
    }

    private static bool MatchesListFilters(ImageRecord image, FilterSet filters, ImageService images)
    {
        if (filters.IsEmpty) return true;
        if (filters.Contains("dangling"))
        {
            var dangling = filters.Get("dangling").Any(v => v is "true" or "1");
            if (dangling != (image.RepoTags.Count == 0)) return false;
        }
        if (filters.Contains("label") && !filters.MatchLabels("label", image.Config.Config.Labels ?? new Dictionary<string, string>()))
            return false;
        if (filters.Contains("reference") && !filters.Get("reference").Any(pattern => image.RepoTags.Any(tag => ReferenceMatches(pattern, tag))))
            return false;
        if (filters.Contains("before") && !filters.Get("before").All(r => image.Created < images.Resolve(r).Created))
            return false;
        if (filters.Contains("since") && !filters.Get("since").All(r => image.Created > images.Resolve(r).Created))
            return false;
        return true;
    }

    /// <summary>docker images --filter reference=PATTERN: a shell glob against "repo" or "repo:tag".</summary>
    private static bool ReferenceMatches(string pattern, string repoTag)
    {
        var repo = repoTag[..repoTag.LastIndexOf(':')];
        return Glob(pattern, repoTag) || Glob(pattern, repo);
    }

    private static bool Glob(string pattern, string text) =>
        System.Text.RegularExpressions.Regex.IsMatch(text,
            "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", "[^/]*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$");

    private static IResult Inspect(string name, ImageService images, Wharf.Engine.Distribution.ImageDistributionService? distribution)
    {
        var image = images.Resolve(name);
        var inspect = ImageMapper.ToInspect(image);
        if (distribution is not null) inspect.RepoDigests = [.. distribution.RepoDigests.Get(image.Id)];
        return Results.Json(inspect, ApiJsonContext.Default.ImageInspect);
    }

    private static IResult History(string name, ImageService images)
    {
        var image = images.Resolve(name);
        return Results.Json(ImageMapper.ToHistory(image, images.LayerSizes(image)), ApiJsonContext.Default.ListImageHistoryItem);
    }

    private static IResult Tag(string name, HttpRequest request, ImageService images)
    {
        var repo = request.String("repo") ?? throw EngineException.Invalid("repository name must have at least one component");
        images.Tag(name, repo, request.String("tag"));
        return Results.StatusCode(StatusCodes.Status201Created);
    }

    private static IResult Remove(string name, HttpRequest request, ImageService images, ContainerService containers)
    {
        var actions = images.Remove(name, request.Bool("force"), id => containers.IsImageInUse(id.ToString()));
        var body = actions.Select(a => new ImageDeleteResponseItem { Untagged = a.Untagged, Deleted = a.Deleted }).ToList();
        return Results.Json(body, ApiJsonContext.Default.ListImageDeleteResponseItem);
    }

    /// <summary>POST /images/create: `fromSrc=-` imports the request body (docker import); `fromImage` pulls,
    /// which arrives with the registry issue.</summary>
    private static async Task<IResult> CreateAsync(HttpRequest request, ImageService images)
    {
        var fromSrc = request.String("fromSrc");
        if (fromSrc is null)
        {
            var fromImage = request.String("fromImage") ?? throw EngineException.Invalid("fromImage or fromSrc must be set");
            await DistributionEndpoints.PullAsync(request.HttpContext, fromImage);
            return Results.Empty;
        }
        if (fromSrc != "-")
            throw EngineException.Invalid("importing from a URL is not supported; pipe the archive in with `import -`");
        var reference = ImportReference(request.String("repo"), request.String("tag"));
        var changes = request.Query["changes"].Where(c => !string.IsNullOrEmpty(c)).Select(c => c!).ToList();
        var image = await images.ImportAsync(request.Body, reference, changes, request.String("message"), request.HttpContext.RequestAborted);
        var status = JsonSerializer.Serialize(new JsonMessage { Status = image.Id.ToString() }, ApiJsonContext.Default.JsonMessage) + "\n";
        return Results.Text(status, "application/json");
    }

    private static async Task<IResult> PushAsync(string name, HttpContext context)
    {
        await DistributionEndpoints.PushAsync(context, name);
        return Results.Empty;
    }

    /// <summary>docker import puts the tag inside repo ("busybox:latest"); API clients may send tag separately.</summary>
    private static string? ImportReference(string? repo, string? tag)
    {
        if (string.IsNullOrEmpty(repo)) return null;
        return string.IsNullOrEmpty(tag) ? repo : repo + ":" + tag;
    }
}
