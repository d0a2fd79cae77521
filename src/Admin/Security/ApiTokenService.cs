using System.Security.Cryptography;
using System.Text;
using Hotline.Admin.Audit;
using Hotline.Admin.Services;
using Hotline.Switch.Api;

namespace Hotline.Admin.Security;

/// <summary>An API token for an integration; the secret itself is never stored, only its SHA-256.</summary>
public sealed class ApiToken
{
    /// <summary>The public part of the token (also its prefix), e.g. "k3x9…".</summary>
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Role { get; set; } = Roles.Agent;
    public string Hash { get; set; } = "";
    public DateTimeOffset Created { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset? LastUsed { get; set; }
    public DateTimeOffset? Expires { get; set; }
}

public sealed record ApiTokenView(string Id, string Name, string Role, DateTimeOffset Created, string CreatedBy, DateTimeOffset? LastUsed, DateTimeOffset? Expires);

/// <summary>A new token: <see cref="Token"/> is shown once and cannot be recovered.</summary>
public sealed record NewApiToken(ApiTokenView Info, string Token);

public sealed record ApiTokenInput(string Name, string Role, int? ValidDays = null);

/// <summary>
/// Bearer tokens "hl_&lt;id&gt;_&lt;secret&gt;" for integrations; each acts with a role. Secrets are 256 random
/// bits, so a fast hash (SHA-256) is the right way to keep them, compared in constant time.
/// </summary>
public sealed class ApiTokenService
{
    private const string Prefix = "hl_";
    private readonly IDocumentCollection<ApiToken> _tokens;
    private readonly AuditLog _audit;
    private readonly TimeProvider _time;

    public ApiTokenService(IDocumentStore store, AuditLog audit, TimeProvider time)
    {
        _tokens = store.Collection<ApiToken>("api_tokens");
        _audit = audit;
        _time = time;
    }

    public IReadOnlyList<ApiTokenView> List() => _tokens.Search(orderByDescending: t => t.Created).Select(View).ToList();

    public Outcome<NewApiToken> Create(ApiTokenInput input, Actor actor)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > 64) errors["Name"] = ["is required (at most 64 characters)"];
        if (!Roles.IsRole(input.Role)) errors["Role"] = ["must be admin, supervisor or agent"];
        if (input.ValidDays is < 1 or > 3650) errors["ValidDays"] = ["must be between 1 and 3650 days, or empty for no expiry"];
        if (errors.Count > 0) return Outcome<NewApiToken>.Invalid(errors);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = _time.GetUtcNow();
        var token = new ApiToken
        {
            Id = id, Name = input.Name.Trim(), Role = input.Role, Hash = Hash(secret), Created = now, CreatedBy = actor.Name,
            Expires = input.ValidDays is { } days ? now.AddDays(days) : null,
        };
        _tokens.Upsert(token);
        _audit.Write(actor.Name, "token.create", $"{token.Name} ({id})",
            [new AuditChange { Field = "Role", New = token.Role }, new AuditChange { Field = "Secret", New = AuditLog.Masked }], actor.Address);
        return new NewApiToken(View(token), $"{Prefix}{id}_{secret}");
    }

    public Outcome<ApiTokenView> Revoke(string id, Actor actor)
    {
        var token = _tokens.Find(id);
        if (token is null) return Outcome<ApiTokenView>.NotFound();
        _tokens.Delete(id);
        _audit.Write(actor.Name, "token.revoke", $"{token.Name} ({id})", [new AuditChange { Field = "Role", Old = token.Role }], actor.Address);
        return View(token);
    }

    /// <summary>The token a bearer value stands for, if it is valid and not expired; records its use.</summary>
    public ApiToken? Validate(string bearer)
    {
        if (!bearer.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var rest = bearer.AsSpan(Prefix.Length);
        var sep = rest.IndexOf('_');
        if (sep <= 0) return null;
        var token = _tokens.Find(rest[..sep].ToString());
        if (token is null) return null;
        var given = Encoding.ASCII.GetBytes(Hash(rest[(sep + 1)..].ToString()));
        if (!CryptographicOperations.FixedTimeEquals(given, Encoding.ASCII.GetBytes(token.Hash ?? ""))) return null;
        var now = _time.GetUtcNow();
        if (token.Expires is { } e && e <= now) return null;
        // Record use at most once a minute: a busy integration must not write on every request.
        if (token.LastUsed is not { } last || now - last > TimeSpan.FromMinutes(1))
        {
            token.LastUsed = now;
            _tokens.Upsert(token);
        }
        token.Name ??= token.Id;
        token.Role ??= Roles.Agent;
        return token;
    }

    private static ApiTokenView View(ApiToken t) => new(t.Id, t.Name ?? "", t.Role ?? Roles.Agent, t.Created, t.CreatedBy ?? "", t.LastUsed, t.Expires);

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
