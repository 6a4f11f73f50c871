using System.Reflection;

namespace Wharf.Cli;

internal static class CliVersion
{
    public static string Version { get; } =
        typeof(CliVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.1.0";
}
