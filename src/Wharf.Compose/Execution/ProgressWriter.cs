namespace Wharf.Compose.Execution;

/// <summary>Compose-style progress lines (" Container p-web-1  Started") on stderr, one writer for all tasks.</summary>
public sealed class ProgressWriter
{
    private readonly TextWriter _writer;
    private readonly Lock _lock = new();

    public ProgressWriter(TextWriter writer) => _writer = writer;

    public void Report(string kind, string name, string status)
    {
        lock (_lock)
        {
            _writer.WriteLine($" {kind} {name}  {status}");
            _writer.Flush();
        }
    }

    public void Line(string text)
    {
        lock (_lock)
        {
            _writer.WriteLine(text);
            _writer.Flush();
        }
    }
}
