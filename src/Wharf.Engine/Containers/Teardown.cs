namespace Wharf.Engine.Containers;

/// <summary>Teardown (docker rm) is best effort: every step runs, and what failed is reported together.</summary>
internal static class Teardown
{
    public static void Try(List<string> errors, Action step)
    {
        try { step(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Wharf.Core.Errors.EngineException) { errors.Add(e.Message); }
    }
}
