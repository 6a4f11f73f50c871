using System.Text;
using Wharf.Core.Errors;
using Wharf.Engine.Distribution;
using Wharf.TestKit.Fuzzing;
using Xunit;

namespace Wharf.Engine.Tests.Fuzz;

/// <summary>Mutated manifests and indexes (fixed seed, see <see cref="FuzzSettings"/>) through the pull side's manifest
/// parser, as a hostile registry serves them: the parts a pull needs or an invalid-argument
/// <see cref="EngineException"/>, never any other exception, never a hang.</summary>
public sealed class ManifestInfoFuzzTests
{
    [Fact]
    public void Parse_MutatedManifests_InfoOrEngineError()
    {
        foreach (var sample in ManifestSamples.Documents) ManifestInfo.Parse(Encoding.UTF8.GetBytes(sample), null);
        var seed = FuzzSettings.Seed(4711);
        var mutator = new FuzzMutator(seed, ManifestSamples.Tokens);
        var corpus = ManifestSamples.Documents.Select(Encoding.UTF8.GetBytes).ToList();
        var rounds = FuzzSettings.Rounds(4000);
        for (var round = 0; round < rounds; round++)
        {
            var body = mutator.Mutate(corpus[mutator.Random.Next(corpus.Count)], corpus);
            var contentType = mutator.Random.Next(2) == 0 ? null : mutator.Pick(ManifestSamples.ContentTypes);
            var where = $"seed {seed} round {round}";
            FuzzSettings.WithinTimeBound(() =>
            {
                try
                {
                    var info = ManifestInfo.Parse(body, contentType);
                    Assert.NotNull(info.MediaType);
                }
                catch (EngineException e)
                {
                    Assert.True(e.Kind == ErrorKind.InvalidArgument, $"{where}: {e.Kind} {e.Message}");
                }
                catch (Exception e)
                {
                    Assert.Fail($"{where}: {e.GetType().Name}: {e.Message}\n--- body\n{Encoding.UTF8.GetString(body)}\n{e.StackTrace}");
                }
            }, () => $"{where}: {Encoding.UTF8.GetString(body)}");
        }
    }
}
