namespace Wharf.TestKit.Fuzzing;

/// <summary>The seed and size of a bounded fuzz pass. The suite gates every merge, so by default a pass is the same
/// each run (the test's fixed seed, its own round count): a new finding must come from a change, not from luck.
/// WHARF_FUZZ_SEED=&lt;n&gt; replays a reported run, WHARF_FUZZ_SEED=random explores; WHARF_FUZZ_ROUNDS=&lt;n&gt; makes
/// every pass that many rounds (scripts/fuzz-long.sh sets both).</summary>
public static class FuzzSettings
{
    /// <summary>How long one input may take before it counts as a hang (generous: the CI machine is shared).</summary>
    public static readonly TimeSpan PerInput = TimeSpan.FromSeconds(5);

    public static int Seed(int fixedSeed)
    {
        var setting = Environment.GetEnvironmentVariable("WHARF_FUZZ_SEED");
        if (int.TryParse(setting, out var seed)) return seed;
        // Distinct per test even when several start in the same tick.
        return setting == "random" ? Random.Shared.Next() : fixedSeed;
    }

    public static int Rounds(int defaultRounds) =>
        int.TryParse(Environment.GetEnvironmentVariable("WHARF_FUZZ_ROUNDS"), out var rounds) && rounds > 0 ? rounds : defaultRounds;

    /// <summary>Runs <paramref name="action"/> and fails the test when it does not return within
    /// <see cref="PerInput"/>: a hang is a finding like any other. The action's own exception is rethrown as is.</summary>
    public static void WithinTimeBound(Action action, Func<string> describe)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(describe);
        var task = Task.Run(action);
        if (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(PerInput))
        {
            Xunit.Assert.Fail($"no answer within {PerInput.TotalSeconds} s (a hang): {describe()}");
        }
        task.GetAwaiter().GetResult();
    }
}
