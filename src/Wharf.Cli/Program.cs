using System.Text;
using Wharf.Cli;

Console.OutputEncoding = new UTF8Encoding(false);
var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
var error = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };
try
{
    return await CliApp.RunAsync(args, output, error, Environment.GetEnvironmentVariable, TimeProvider.System, stdoutIsTerminal: !Console.IsOutputRedirected);
}
finally
{
    await output.FlushAsync();
}
