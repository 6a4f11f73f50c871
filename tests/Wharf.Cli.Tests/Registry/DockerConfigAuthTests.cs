using System.Text;
using System.Text.Json;
using Wharf.Cli.Registry;

namespace Wharf.Cli.Tests.Registry;

public sealed class DockerConfigAuthTests
{
    [Fact]
    public void StoreGetRemove_KeepsOtherKeysAndUsesDockerFormat()
    {
        var directory = Path.Combine(Path.GetTempPath(), "wharf-cli-auth-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            File.WriteAllText(Path.Combine(directory, "config.json"), """{"psFormat":"table {{.ID}}"}""");
            var auth = new DockerConfigAuth(name => name == "DOCKER_CONFIG" ? directory : null);
            auth.Store("127.0.0.1:5000", "alice", "s3:cret");
            Assert.Equal(("alice", "s3:cret"), auth.Get("127.0.0.1:5000"));

            using (var document = JsonDocument.Parse(File.ReadAllText(auth.ConfigPath)))
            {
                Assert.Equal("table {{.ID}}", document.RootElement.GetProperty("psFormat").GetString());
                var saved = document.RootElement.GetProperty("auths").GetProperty("127.0.0.1:5000").GetProperty("auth").GetString()!;
                Assert.Equal("alice:s3:cret", Encoding.UTF8.GetString(Convert.FromBase64String(saved)));
            }

            var header = auth.RegistryAuthHeader("127.0.0.1:5000");
            var padded = header.Replace('-', '+').Replace('_', '/');
            padded = padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '=');
            using (var decoded = JsonDocument.Parse(Convert.FromBase64String(padded)))
            {
                Assert.Equal("alice", decoded.RootElement.GetProperty("username").GetString());
            }
            Assert.Equal("e30=", auth.RegistryAuthHeader("elsewhere:5000"));

            Assert.True(auth.Remove("127.0.0.1:5000"));
            Assert.False(auth.Remove("127.0.0.1:5000"));
            Assert.Null(auth.Get("127.0.0.1:5000"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/", "127.0.0.1:5000")]
    [InlineData(null, DockerConfigAuth.DockerHubServer)]
    [InlineData("docker.io", DockerConfigAuth.DockerHubServer)]
    [InlineData("reg.example.com", "reg.example.com")]
    public void NormalizeServer_MapsLikeDocker(string? input, string expected) =>
        Assert.Equal(expected, DockerConfigAuth.NormalizeServer(input));

    [Theory]
    [InlineData("docker.io/library/busybox", DockerConfigAuth.DockerHubServer)]
    [InlineData("127.0.0.1:5000/team/app", "127.0.0.1:5000")]
    public void ServerFor_Repository_IsItsRegistry(string repository, string expected) =>
        Assert.Equal(expected, DockerConfigAuth.ServerFor(repository));
}
