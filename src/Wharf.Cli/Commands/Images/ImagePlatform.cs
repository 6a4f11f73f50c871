using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Images;

/// <summary>
/// --platform on history, rmi, save and push. Wharf's image store keeps one platform per image (no image indexes), so
/// a platform either names the image's own, and the command goes on as without the flag, or is not there, and the
/// command stops before touching anything, saying which platform the image has.
/// </summary>
internal static class ImagePlatform
{
    public static OptionSpec Option(string help, string valueName = "string") => OptionSpec.Value("platform", null, help, valueName);

    /// <summary>Fails unless each of <paramref name="images"/> is of every platform in <paramref name="platforms"/>.</summary>
    public static async Task EnsureAsync(CliContext context, IEnumerable<string> images, IReadOnlyList<string> platforms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(platforms);
        if (platforms.Count == 0)
        {
            return;
        }

        foreach (var platform in platforms)
        {
            _ = Parse(platform); // a malformed value fails before the daemon is asked
        }

        foreach (var image in images)
        {
            var inspect = await context.Client.Images.InspectAsync(image, cancellationToken).ConfigureAwait(false);
            var own = inspect.Os + "/" + inspect.Architecture + (string.IsNullOrEmpty(inspect.Variant) ? "" : "/" + inspect.Variant);
            foreach (var platform in platforms.Where(p => !Matches(p, inspect.Os, inspect.Architecture, inspect.Variant)))
            {
                throw new CliUsageException(
                    $"image {image} has no {platform} variant: it is {own}, and wharf keeps one platform per image; "
                    + $"pull the other platform under a tag of its own ('wharf pull --platform {platform} NAME') and use that", 1);
            }
        }
    }

    /// <summary>"os[/arch[/variant]]" as containerd's platforms.Parse normalises it (x86_64 → amd64, aarch64 → arm64).</summary>
    internal static (string Os, string? Architecture, string? Variant) Parse(string platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var parts = platform.ToLowerInvariant().Split('/');
        if (parts.Length > 3 || parts.Any(p => p.Length == 0))
        {
            throw new CliUsageException($"invalid platform \"{platform}\": expected os[/arch[/variant]], e.g. linux/amd64", 1);
        }

        var architecture = parts.Length > 1 ? parts[1] switch { "x86_64" or "x86-64" => "amd64", "aarch64" => "arm64", var a => a } : null;
        return (parts[0], architecture, parts.Length > 2 ? parts[2] : null);
    }

    /// <summary>Whether an image of os/arch/variant satisfies the platform asked for; arm64's variant v8 is its default.</summary>
    internal static bool Matches(string platform, string os, string architecture, string? variant)
    {
        var wanted = Parse(platform);
        if (!string.Equals(wanted.Os, os, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (wanted.Architecture is null)
        {
            return true;
        }

        if (!string.Equals(wanted.Architecture, architecture, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var own = string.IsNullOrEmpty(variant) && architecture == "arm64" ? "v8" : variant ?? "";
        return wanted.Variant is null || string.Equals(wanted.Variant, own, StringComparison.OrdinalIgnoreCase);
    }
}
