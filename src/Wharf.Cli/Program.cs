using System.Text;
using Wharf.Cli;

Console.OutputEncoding = new UTF8Encoding(false);
var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
var error = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };
try
{
    return await CliApp.RunAsync(Wharf.Cli.Commands.Compose.ComposePlugin.Arguments(Wharf.Cli.Commands.Compose.ComposePlugin.Argv0(), args), output, error,
        Environment.GetEnvironmentVariable, TimeProvider.System, stdoutIsTerminal: !Console.IsOutputRedirected,
        stderrIsTerminal: !Console.IsErrorRedirected, terminalWidth: TerminalWidth());
}
finally
{
    await output.FlushAsync();
}

// Console.WindowWidth throws when no terminal can be asked (a pipe, a closed tty); progress then draws no bar.
static int TerminalWidth()
{
    try
    {
        return Console.IsOutputRedirected ? 0 : Console.WindowWidth;
    }
    catch (IOException)
    {
        return 0;
    }
}
