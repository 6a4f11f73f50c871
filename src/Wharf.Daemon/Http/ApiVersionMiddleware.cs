using System.Text.RegularExpressions;
using Wharf.Core.Errors;

namespace Wharf.Daemon.Http;

/// <summary>Accepts "/v1.NN/..." and bare paths alike, refuses versions outside [Minimum, Current] with Docker's
/// wording, and stamps the headers every Docker response carries.</summary>
internal sealed partial class ApiVersionMiddleware(RequestDelegate next, Wharf.Daemon.Configuration.DaemonSettings settings)
{
    public const string VersionItem = "wharf.api-version";

    [GeneratedRegex(@"^/v(?<v>[0-9]+\.[0-9]+)(?<rest>/.*)$")]
    private static partial Regex VersionedPath();

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers["Api-Version"] = ApiVersions.Current;
        headers["Docker-Experimental"] = settings.Experimental ? "true" : "false";
        headers["Ostype"] = "linux";
        headers["Server"] = ApiVersions.ServerHeader;

        var version = ApiVersions.Parse(ApiVersions.Current);
        var match = VersionedPath().Match(context.Request.Path.Value ?? "");
        if (match.Success)
        {
            var asked = match.Groups["v"].Value;
            version = ApiVersions.Parse(asked);
            if (version < ApiVersions.Parse(ApiVersions.Minimum))
                throw EngineException.Invalid($"client version {asked} is too old. Minimum supported API version is {ApiVersions.Minimum}, please upgrade your client to a newer version");
            if (version > ApiVersions.Parse(ApiVersions.Current))
                throw EngineException.Invalid($"client version {asked} is too new. Maximum supported API version is {ApiVersions.Current}");
            context.Request.Path = match.Groups["rest"].Value;
        }
        context.Items[VersionItem] = version;
        return next(context);
    }
}
