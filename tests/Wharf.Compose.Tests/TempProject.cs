namespace Wharf.Compose.Tests;

/// <summary>A temporary project directory with files, removed on dispose.</summary>
internal sealed class TempProject : IDisposable
{
    public TempProject(string name = "demo")
    {
        Root = Path.Combine(Path.GetTempPath(), "wharf-compose-" + Guid.NewGuid().ToString("N")[..8]);
        Dir = Path.Combine(Root, name);
        Directory.CreateDirectory(Dir);
    }

    public string Root { get; }

    public string Dir { get; }

    public string Write(string relative, string text)
    {
        var path = Path.Combine(Dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Writes <paramref name="yaml"/> as compose.yaml and loads it as project "proj", with no environment.</summary>
    public Model.ComposeProject LoadProject(string yaml)
    {
        Write("compose.yaml", yaml);
        return new Loading.ComposeLoader().Load(new Loading.LoadOptions { CurrentDirectory = Dir, Environment = _ => null, ProjectName = "proj" });
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }
}
