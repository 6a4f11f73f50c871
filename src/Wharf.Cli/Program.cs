using System.Text;
using Wharf.Cli;

Console.OutputEncoding = new UTF8Encoding(false);
// A buffer that holds a listing of a hundred rows whole (still below the large-object heap's 85,000 bytes) and a
// synchronous flush at the end: the console stream has no asynchronous write of its own, so each async flush would
// start a thread-pool thread for a few microseconds of write(2).
var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), bufferSize: 16 * 1024) { AutoFlush = false };
var error = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };
try
{
    return await CliApp.RunAsync(Wharf.Cli.Commands.Compose.ComposePlugin.Arguments(Wharf.Cli.Commands.Compose.ComposePlugin.Argv0(), args), output, error,
        Environment.GetEnvironmentVariable, TimeProvider.System, stdoutIsTerminal: !Console.IsOutputRedirected,
        stderrIsTerminal: !Console.IsErrorRedirected, terminalWidth: TerminalWidth());
}
finally
{
    output.Flush();
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
