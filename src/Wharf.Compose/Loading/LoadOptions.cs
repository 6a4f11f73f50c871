namespace Wharf.Compose.Loading;

/// <summary>What the command line and environment say about where the project is.</summary>
public sealed class LoadOptions
{
    /// <summary>-f files in order (empty: COMPOSE_FILE, else compose.yaml etc. in the working directory or a parent).</summary>
    public List<string> Files { get; init; } = [];

    /// <summary>-p (wins over COMPOSE_PROJECT_NAME and the name: key).</summary>
    public string? ProjectName { get; init; }

    public string? ProjectDirectory { get; init; }

    /// <summary>--env-file files (replace the default .env of the project directory).</summary>
    public List<string> EnvFiles { get; init; } = [];

    /// <summary>--profile values (COMPOSE_PROFILES adds to them).</summary>
    public List<string> Profiles { get; init; } = [];

    /// <summary>Services named on the command line: they are enabled whatever their profiles say.</summary>
    public List<string> ExplicitServices { get; init; } = [];

    public string CurrentDirectory { get; init; } = Directory.GetCurrentDirectory();

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Stdin for "-f -".</summary>
    public Func<string>? ReadStdin { get; init; }
}
