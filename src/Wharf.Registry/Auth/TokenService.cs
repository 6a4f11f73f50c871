using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Wharf.Registry.Auth;

/// <summary>Issues and checks the bearer tokens of the Docker token flow: compact JWTs signed with HMAC-SHA256 whose
/// "access" claim lists the granted scopes. The registry is both issuer and audience, so a shared secret is enough
/// (no certificate chain to distribute).</summary>
internal sealed class TokenService(byte[] key, string issuer, string service, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public string Service => service;

    public string Issue(string? account, IReadOnlyList<AccessScope> granted)
    {
        var now = time.GetUtcNow();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("iss", issuer);
            json.WriteString("sub", account ?? "");
            json.WriteString("aud", service);
            json.WriteNumber("iat", now.ToUnixTimeSeconds());
            json.WriteNumber("nbf", now.ToUnixTimeSeconds() - 1);
            json.WriteNumber("exp", (now + Lifetime).ToUnixTimeSeconds());
            json.WriteString("jti", Guid.NewGuid().ToString("N"));
            json.WriteStartArray("access");
            foreach (var scope in granted)
            {
                json.WriteStartObject();
                json.WriteString("type", scope.Type);
                json.WriteString("name", scope.Name);
                json.WriteStartArray("actions");
                foreach (var action in scope.Actions) json.WriteStringValue(action);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        var header = Base64Url.EncodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8);
        var payload = Base64Url.EncodeToString(buffer.ToArray());
        var signed = header + "." + payload;
        return signed + "." + Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signed)));
    }

    /// <summary>The scopes a valid, unexpired token for this service grants, or null when the token is not valid.</summary>
    public IReadOnlyList<AccessScope>? Validate(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            var expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
            if (!CryptographicOperations.FixedTimeEquals(expected, Base64Url.DecodeFromChars(parts[2]))) return null;
            using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            var claims = document.RootElement;
            var now = time.GetUtcNow().ToUnixTimeSeconds();
            if (claims.GetProperty("exp").GetInt64() < now || claims.GetProperty("nbf").GetInt64() > now + 60) return null;
            if (claims.GetProperty("aud").GetString() != service) return null;
            var scopes = new List<AccessScope>();
            foreach (var entry in claims.GetProperty("access").EnumerateArray())
            {
                var actions = entry.GetProperty("actions").EnumerateArray().Select(a => a.GetString() ?? "").ToList();
                scopes.Add(new AccessScope(entry.GetProperty("type").GetString() ?? "", entry.GetProperty("name").GetString() ?? "", actions));
            }
            return scopes;
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
