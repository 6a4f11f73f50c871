using System.Text;
using Wharf.Registry.Distribution;
using Wharf.Registry.Errors;
using Wharf.TestKit.Fuzzing;
using Xunit;

namespace Wharf.Registry.Tests.Fuzz;

/// <summary>Mutated manifests (fixed seed, so a failure replays; see <see cref="FuzzSettings"/>) through the registry's
/// manifest check, as a PUT of a hostile client delivers them: a document or a MANIFEST_INVALID error (a 400), never
/// any other exception (which would be a 500), never a hang.</summary>
public sealed class ManifestDocumentFuzzTests
{
    [Fact]
    public void Parse_MutatedManifests_DocumentOrManifestInvalid()
    {
        foreach (var sample in ManifestSamples.Documents) ManifestDocument.Parse(Encoding.UTF8.GetBytes(sample), null);
        var seed = FuzzSettings.Seed(31337);
        var mutator = new FuzzMutator(seed, ManifestSamples.Tokens);
        var corpus = ManifestSamples.Documents.Select(Encoding.UTF8.GetBytes).ToList();
        var rounds = FuzzSettings.Rounds(4000);
        for (var round = 0; round < rounds; round++)
        {
            var body = mutator.Mutate(corpus[mutator.Random.Next(corpus.Count)], corpus);
            var contentType = mutator.Random.Next(3) == 0 ? null : mutator.Pick(ManifestSamples.ContentTypes);
            Check(body, contentType, $"seed {seed} round {round}");
        }
    }

    [Fact]
    public void Parse_HugeSchemaVersion_ManifestInvalidNotAnOverflow()
    {
        foreach (var version in new[] { "1e100", "2147483648", "2.5", "-9223372036854775809" })
        {
            var body = Encoding.UTF8.GetBytes($$$"""{"schemaVersion":{{{version}}},"config":{"digest":"sha256:{{{new string('1', 64)}}}"}}""");
            var error = Assert.Throws<RegistryException>(() => ManifestDocument.Parse(body, null));
            Assert.Equal(RegistryErrorCode.ManifestInvalid, error.Code);
        }
    }

    private static void Check(byte[] body, string? contentType, string where) =>
        FuzzSettings.WithinTimeBound(() =>
        {
            try
            {
                ManifestDocument.Parse(body, contentType);
            }
            catch (RegistryException e)
            {
                Assert.True(e.Code == RegistryErrorCode.ManifestInvalid, $"{where}: {e.Code} {e.Message}");
            }
            catch (Exception e)
            {
                Assert.Fail($"{where}: {e.GetType().Name}: {e.Message}\n--- body\n{Encoding.UTF8.GetString(body)}\n{e.StackTrace}");
            }
        }, () => $"{where}: {Encoding.UTF8.GetString(body)}");
}
