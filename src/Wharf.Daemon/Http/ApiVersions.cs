namespace Wharf.Daemon.Http;

/// <summary>The API versions this daemon speaks. 1.50 is exactly what docker CLI 28.2 asks for.</summary>
internal static class ApiVersions
{
    public const string Current = "1.50";
    public const string Minimum = "1.24";
    public const string EngineVersion = "28.2.2-wharf";
    public const string ServerHeader = "Wharf/" + EngineVersion + " (linux)";

    public static Version Parse(string text) => Version.Parse(text);
}
