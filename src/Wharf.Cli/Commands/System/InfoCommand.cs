using System.Globalization;
using System.Text;
using Wharf.Api;
using Wharf.Api.System;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.System;

/// <summary>docker info: the key figures of /info in docker's layout (Client block, then Server block).</summary>
internal sealed class InfoCommand : ICommand
{
    public string Name => "system info";

    public IReadOnlyList<string> Aliases { get; } = ["info"];

    public string Usage => "info [OPTIONS]";

    public string Description => "Display system-wide information";

    public IReadOnlyList<OptionSpec> Options { get; } = [OptionSpec.Value("format", 'f', "Format output using a custom template")];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Value("format") is { } format)
        {
            var raw = await context.Client.System.InfoRawAsync(cancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync(GoTemplate.Parse(GoTemplate.Unescape(format == "json" ? "{{json .}}" : format)).Render(raw)).ConfigureAwait(false);
            return 0;
        }

        var info = await context.Client.System.InfoAsync(cancellationToken).ConfigureAwait(false);
        var text = new StringBuilder();
        text.Append("Client:\n");
        text.Append(" Version:    ").Append(CliVersion.Version).Append('\n');
        text.Append(" Context:    default\n");
        text.Append(" Debug Mode: false\n\n");
        text.Append(Render(info));
        await context.Out.WriteAsync(text.ToString()).ConfigureAwait(false);
        foreach (var warning in info.Warnings ?? [])
        {
            await context.Err.WriteLineAsync(warning).ConfigureAwait(false);
        }

        return 0;
    }

    internal static string Render(SystemInfo info)
    {
        var t = new StringBuilder();
        void Line(string text) => t.Append(text).Append('\n');
        string N(long value) => value.ToString(CultureInfo.InvariantCulture);

        Line("Server:");
        Line(" Containers: " + N(info.Containers));
        Line("  Running: " + N(info.ContainersRunning));
        Line("  Paused: " + N(info.ContainersPaused));
        Line("  Stopped: " + N(info.ContainersStopped));
        Line(" Images: " + N(info.Images));
        Line(" Server Version: " + info.ServerVersion);
        Line(" Storage Driver: " + info.Driver);
        foreach (var pair in info.DriverStatus ?? [])
        {
            if (pair.Count == 2)
            {
                Line("  " + pair[0] + ": " + pair[1]);
            }
        }

        Line(" Logging Driver: " + info.LoggingDriver);
        Line(" Cgroup Driver: " + info.CgroupDriver);
        Line(" Cgroup Version: " + info.CgroupVersion);
        Line(" Plugins:");
        Line("  Volume: " + string.Join(' ', info.Plugins.Volume));
        Line("  Network: " + string.Join(' ', info.Plugins.Network));
        Line("  Log: " + string.Join(' ', info.Plugins.Log));
        Line(" Swarm: " + info.Swarm.LocalNodeState);
        Line(" Runtimes: " + string.Join(' ', info.Runtimes.Keys.Order(StringComparer.Ordinal)));
        Line(" Default Runtime: " + info.DefaultRuntime);
        Line(" Init Binary: " + info.InitBinary);
        Line(" containerd version: " + info.ContainerdCommit.ID);
        Line(" runc version: " + info.RuncCommit.ID);
        Line(" init version: " + info.InitCommit.ID);
        if (info.SecurityOptions.Count > 0)
        {
            Line(" Security Options:");
            foreach (var option in info.SecurityOptions)
            {
                var parts = option.Split(',').Select(p => p.Split('=', 2)).ToList();
                var name = parts.FirstOrDefault(p => p[0] == "name") is { Length: 2 } n ? n[1] : option;
                Line("  " + name);
                foreach (var part in parts.Where(p => p[0] != "name" && p.Length == 2))
                {
                    Line("   " + CultureInfo.InvariantCulture.TextInfo.ToTitleCase(part[0]) + ": " + part[1]);
                }
            }
        }

        Line(" Kernel Version: " + info.KernelVersion);
        Line(" Operating System: " + info.OperatingSystem);
        Line(" OSType: " + info.OSType);
        Line(" Architecture: " + info.Architecture);
        Line(" CPUs: " + N(info.NCPU));
        Line(" Total Memory: " + HumanUnits.BinarySize(info.MemTotal));
        Line(" Name: " + info.Name);
        Line(" ID: " + info.ID);
        Line(" Docker Root Dir: " + info.DockerRootDir);
        Line(" Debug Mode: " + (info.Debug ? "true" : "false"));
        if (info.Labels.Count > 0)
        {
            Line(" Labels:");
            foreach (var label in info.Labels)
            {
                Line("  " + label);
            }
        }

        Line(" Experimental: " + (info.ExperimentalBuild ? "true" : "false"));
        if (info.RegistryConfig.InsecureRegistryCIDRs.Count > 0 || info.RegistryConfig.IndexConfigs.Values.Any(i => !i.Secure))
        {
            Line(" Insecure Registries:");
            foreach (var index in info.RegistryConfig.IndexConfigs.Values.Where(i => !i.Secure))
            {
                Line("  " + index.Name);
            }

            foreach (var cidr in info.RegistryConfig.InsecureRegistryCIDRs)
            {
                Line("  " + cidr);
            }
        }

        Line(" Live Restore Enabled: " + (info.LiveRestoreEnabled ? "true" : "false"));
        return t.ToString();
    }
}
