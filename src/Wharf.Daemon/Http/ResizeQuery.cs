using System.Globalization;
using Wharf.Core.Errors;

namespace Wharf.Daemon.Http;

/// <summary>The h and w query parameters of /containers/{id}/resize and /exec/{id}/resize, validated as Docker
/// does (both required, non-negative integers).</summary>
internal static class ResizeQuery
{
    public static (int Height, int Width) Parse(HttpRequest request) => (Dimension(request, "h"), Dimension(request, "w"));

    private static int Dimension(HttpRequest request, string name)
    {
        var text = request.Query[name].ToString();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > ushort.MaxValue)
            throw EngineException.Invalid($"invalid resize {(name == "h" ? "height" : "width")} \"{text}\": must be an integer between 0 and {ushort.MaxValue}");
        return value;
    }
}
