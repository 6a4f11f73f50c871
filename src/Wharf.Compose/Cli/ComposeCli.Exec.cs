using System.Globalization;
using Wharf.Api.Containers;
using Wharf.Compose.Execution;
using Wharf.Compose.Planning;

namespace Wharf.Compose.Cli;

/// <summary>exec and run: commands in a service's container, or in a new one-off container.</summary>
public sealed partial class ComposeCli
{
    private async Task<int> ExecAsync(List<string> rest, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse(rest,
        [
            ("detach", 'd', false), ("no-TTY", 'T', false), ("env", 'e', true), ("user", 'u', true), ("workdir", 'w', true),
            ("index", null, true), ("privileged", null, false), ("interactive", 'i', false), ("tty", 't', false),
        ], positionalsBeforeRest: 1);
        if (args.Positionals.Count < 2)
        {
            throw new ComposeUsageException("exec requires at least 2 arguments: SERVICE COMMAND [ARGS...]");
        }

        var (name, _) = ProjectOrName();
        var service = args.Positionals[0];
        var index = args.Int("index") ?? 1;
        var containers = await ServiceContainersAsync(name, [service], all: false, cancellationToken).ConfigureAwait(false);
        var container = containers.FirstOrDefault(c => Planner.NumberOf(c) == index)
            ?? throw new ComposeException($"service \"{service}\" is not running");
        var config = new ExecConfig
        {
            AttachStdout = !args.Flag("detach"),
            AttachStderr = !args.Flag("detach"),
            Cmd = args.Positionals.Skip(1).ToList(),
            Env = args.Values("env").Count == 0 ? null : [.. args.Values("env")],
            User = args.Value("user"),
            WorkingDir = args.Value("workdir"),
            Privileged = args.Flag("privileged"),
            // Without a terminal on our side a TTY only garbles output; compose's -T is our default.
            Tty = false,
        };
        using var stdout = new WriterStream(_console.Out);
        using var stderr = new WriterStream(_console.Err);
        return await Engine.ExecAsync(container.Id, config, stdout, stderr, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> RunServiceAsync(List<string> rest, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse(rest,
        [
            ("rm", null, false), ("detach", 'd', false), ("no-TTY", 'T', false), ("env", 'e', true), ("entrypoint", null, true),
            ("name", null, true), ("user", 'u', true), ("workdir", 'w', true), ("no-deps", null, false), ("volume", 'v', true),
            ("publish", 'p', true), ("service-ports", null, false), ("label", 'l', true), ("interactive", 'i', false),
            ("tty", 't', false), ("build", null, false), ("pull", null, true), ("quiet-pull", null, false), ("remove-orphans", null, false),
            ("use-aliases", null, false), ("cap-add", null, true), ("cap-drop", null, true),
        ], positionalsBeforeRest: 1);
        if (args.Positionals.Count < 1)
        {
            throw new ComposeUsageException("run requires at least 1 argument: SERVICE [COMMAND] [ARGS...]");
        }

        var serviceName = args.Positionals[0];
        var project = LoadProject([serviceName]);
        var service = project.Service(serviceName) ?? throw new ComposeException($"no such service: {serviceName}");
        var compose = Service;
        var dependencies = Planner.Select(project, [serviceName], withDependencies: true).Where(s => s.Name != serviceName).Select(s => s.Name).ToList();
        if (!args.Flag("no-deps") && dependencies.Count > 0)
        {
            await compose.UpAsync(project, new UpOptions { Services = dependencies, Build = args.Flag("build") }, cancellationToken).ConfigureAwait(false);
        }

        // Networks, volumes and the image the one-off container needs; the service's own containers stay as they are.
        await compose.PrepareAsync(project, [service], new UpOptions { Build = args.Flag("build"), Pull = args.Value("pull") }, cancellationToken).ConfigureAwait(false);

        // A one-off container: its own name, no published ports unless asked, the given command.
        if (!args.Flag("service-ports"))
        {
            service.Ports.Clear();
        }

        if (args.Positionals.Count > 1)
        {
            service.Command = args.Positionals.Skip(1).ToList();
        }

        if (args.Value("entrypoint") is { } entrypoint)
        {
            service.Entrypoint = Loading.ShellWords.Split(entrypoint);
        }

        foreach (var env in args.Values("env"))
        {
            var eq = env.IndexOf('=', StringComparison.Ordinal);
            service.Environment[eq < 0 ? env : env[..eq]] = eq < 0 ? _console.Environment(env) : env[(eq + 1)..];
        }

        if (args.Value("user") is { } user)
        {
            service.User = user;
        }

        if (args.Value("workdir") is { } workdir)
        {
            service.WorkingDir = workdir;
        }

        foreach (var label in args.Values("label"))
        {
            var eq = label.IndexOf('=', StringComparison.Ordinal);
            service.Labels[eq < 0 ? label : label[..eq]] = eq < 0 ? "" : label[(eq + 1)..];
        }

        service.Tty = false;
        service.ContainerName = null;
        var containerName = args.Value("name") ?? $"{project.Name}-{service.Name}-run-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6))}";
        var existing = await compose.ProjectContainersAsync(project.Name, true, cancellationToken, includeOneOff: true).ConfigureAwait(false);
        var number = existing.Where(c => ServiceOf(c) == serviceName).Select(Planner.NumberOf).DefaultIfEmpty(0).Max() + 1;
        var id = await compose.CreateContainerAsync(project, service, number, containerName, oneOff: true, cancellationToken, request =>
        {
            request.HostConfig!.AutoRemove = args.Flag("rm") && args.Flag("detach");
        }).ConfigureAwait(false);

        if (args.Flag("detach"))
        {
            await Engine.StartContainerAsync(id, cancellationToken).ConfigureAwait(false);
            await _console.Out.WriteLineAsync(containerName).ConfigureAwait(false);
            return 0;
        }

        using var stdout = new WriterStream(_console.Out);
        using var stderr = new WriterStream(_console.Err);
        var attached = await Engine.AttachAsync(id, false, stdout, stderr, cancellationToken).ConfigureAwait(false);
        long exitCode;
        try
        {
            await Engine.StartContainerAsync(id, cancellationToken).ConfigureAwait(false);
            await attached.ConfigureAwait(false);
            exitCode = await Engine.WaitContainerAsync(id, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (args.Flag("rm"))
            {
                await Engine.RemoveContainerAsync(id, force: true, removeVolumes: true, CancellationToken.None).ConfigureAwait(false);
            }
        }

        return (int)exitCode;
    }

    internal static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
