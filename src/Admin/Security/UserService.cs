using Hotline.Admin.Audit;
using Hotline.Admin.Services;
using Hotline.Switch.Api;
using Microsoft.AspNetCore.Identity;

namespace Hotline.Admin.Security;

public enum LoginStatus { Ok, Invalid, Locked }

public sealed record LoginResult(LoginStatus Status, AdminUser? User = null, DateTimeOffset? LockedUntil = null);

/// <summary>
/// Panel users: PBKDF2 hashes (ASP.NET Core Identity's hasher, 100,000 iterations of HMAC-SHA512), lock-out
/// after repeated failures, and an audit entry for every change. There is never a default password.
/// </summary>
public sealed class UserService
{
    private readonly IDocumentCollection<AdminUser> _users;
    private readonly PasswordHasher<AdminUser> _hasher = new();
    private readonly AuditLog _audit;
    private readonly AdminOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _loginLock = new();
    private readonly string _dummyHash;

    public UserService(IDocumentStore store, AuditLog audit, AdminOptions options, TimeProvider time)
    {
        _users = store.Collection<AdminUser>("users");
        _audit = audit;
        _options = options;
        _time = time;
        _dummyHash = _hasher.HashPassword(new AdminUser(), PasswordRules.Generate());
    }

    /// <summary>
    /// On first start (no users) creates "admin" with Admin:InitialPassword, or a generated password that is
    /// written once to <paramref name="console"/> and never stored or logged. Returns whether it created one.
    /// </summary>
    public bool EnsureInitialAdmin(TextWriter console)
    {
        if (_users.Count() > 0) return false;
        var generated = string.IsNullOrEmpty(_options.InitialPassword);
        var password = generated ? PasswordRules.Generate() : _options.InitialPassword!;
        var user = NewUser("admin", "Administrator", Roles.Admin, password);
        _users.Upsert(user);
        _audit.Write(Actor.System.Name, "user.create", user.UserName, [new AuditChange { Field = "Role", New = Roles.Admin }, new AuditChange { Field = "Password", New = AuditLog.Masked }]);
        if (generated)
        {
            console.WriteLine("==================================================================");
            console.WriteLine($" Hotline admin panel: first start. User: admin  Password: {password}");
            console.WriteLine(" This password is shown once; change it after logging in.");
            console.WriteLine("==================================================================");
            console.Flush();
        }
        return true;
    }

    public LoginResult Authenticate(string? userName, string? password, string? address)
    {
        var id = (userName ?? "").Trim().ToLowerInvariant();
        lock (_loginLock)
        {
            var user = id.Length == 0 ? null : _users.Find(id);
            var now = _time.GetUtcNow();
            if (user is null || user.Disabled)
            {
                // Same work as a real check, so response time does not tell which user names exist.
                _hasher.VerifyHashedPassword(new AdminUser(), _dummyHash, password ?? "");
                _audit.Write(id.Length == 0 ? "(empty)" : id, "login.failed", id, address: address);
                return new LoginResult(LoginStatus.Invalid);
            }
            if (user.LockedUntil is { } until && until > now)
            {
                _audit.Write(user.UserName, "login.locked", user.UserName, address: address);
                return new LoginResult(LoginStatus.Locked, LockedUntil: until);
            }
            var verdict = _hasher.VerifyHashedPassword(user, user.PasswordHash, password ?? "");
            if (verdict == PasswordVerificationResult.Failed)
            {
                user.FailedLogins++;
                var changes = new List<AuditChange> { new() { Field = "FailedLogins", New = user.FailedLogins.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
                if (user.FailedLogins >= _options.LockoutFailures)
                {
                    user.LockedUntil = now.AddMinutes(_options.LockoutMinutes);
                    user.FailedLogins = 0;
                    changes.Add(new AuditChange { Field = "LockedUntil", New = user.LockedUntil.Value.ToString("O") });
                }
                _users.Upsert(user);
                _audit.Write(user.UserName, "login.failed", user.UserName, changes, address);
                return user.LockedUntil is { } l && l > now ? new LoginResult(LoginStatus.Locked, LockedUntil: l) : new LoginResult(LoginStatus.Invalid);
            }
            if (verdict == PasswordVerificationResult.SuccessRehashNeeded) user.PasswordHash = _hasher.HashPassword(user, password!);
            user.FailedLogins = 0;
            user.LockedUntil = null;
            user.LastLogin = now;
            _users.Upsert(user);
            _audit.Write(user.UserName, "login", user.UserName, address: address);
            return new LoginResult(LoginStatus.Ok, Clean(user));
        }
    }

    public AdminUser? Find(string userName) => _users.Find(userName.Trim().ToLowerInvariant()) is { } u ? Clean(u) : null;

    public IReadOnlyList<UserView> List() => _users.Search().Select(Clean).OrderBy(u => u.Id, StringComparer.Ordinal).Select(View).ToList();

    public UserView View(AdminUser u) => new(u.UserName, u.DisplayName, u.Role, u.Disabled, u.LockedUntil is { } l && l > _time.GetUtcNow(), u.LockedUntil, u.Created, u.LastLogin);

    public Outcome<UserView> Create(UserInput input, Actor actor)
    {
        var errors = Validate(input, creating: true);
        if (errors.Count > 0) return Outcome<UserView>.Invalid(errors);
        if (_users.Find(input.UserName.ToLowerInvariant()) is not null) return Outcome<UserView>.Invalid("UserName", $"user '{input.UserName}' already exists");
        var user = NewUser(input.UserName, input.DisplayName, input.Role, input.Password!);
        user.Disabled = input.Disabled;
        _users.Upsert(user);
        _audit.Write(actor.Name, "user.create", user.UserName, AuditLog.Diff(new Dictionary<string, string?>(), Snapshot(user, passwordChanged: true)), actor.Address);
        return View(user);
    }

    public Outcome<UserView> Update(string userName, UserInput input, Actor actor)
    {
        var user = Find(userName);
        if (user is null) return Outcome<UserView>.NotFound();
        var errors = Validate(input with { UserName = user.UserName }, creating: false);
        if (errors.Count > 0) return Outcome<UserView>.Invalid(errors);
        if (user.Role == Roles.Admin && (input.Role != Roles.Admin || input.Disabled) && !user.Disabled && ActiveAdmins() <= 1)
            return Outcome<UserView>.Invalid("Role", "the last active admin must stay an active admin");
        var before = Snapshot(user, passwordChanged: false);
        user.DisplayName = string.IsNullOrWhiteSpace(input.DisplayName) ? null : input.DisplayName.Trim();
        user.Role = input.Role;
        user.Disabled = input.Disabled;
        var passwordChanged = input.Password is { Length: > 0 };
        if (passwordChanged) user.PasswordHash = _hasher.HashPassword(user, input.Password!);
        user.Stamp = NewStamp();
        _users.Upsert(user);
        _audit.Write(actor.Name, "user.update", user.UserName, AuditLog.Diff(before, Snapshot(user, passwordChanged)), actor.Address);
        return View(user);
    }

    /// <summary>A user changing their own password must give the current one.</summary>
    public Outcome<UserView> ChangeOwnPassword(string userName, string? current, string? next, Actor actor)
    {
        var user = Find(userName);
        if (user is null) return Outcome<UserView>.NotFound();
        if (_hasher.VerifyHashedPassword(user, user.PasswordHash, current ?? "") == PasswordVerificationResult.Failed)
            return Outcome<UserView>.Invalid("CurrentPassword", "is not your current password");
        if (PasswordRules.Check(next) is { } problem) return Outcome<UserView>.Invalid("NewPassword", problem);
        user.PasswordHash = _hasher.HashPassword(user, next!);
        user.Stamp = NewStamp();
        _users.Upsert(user);
        _audit.Write(actor.Name, "user.password", user.UserName, [new AuditChange { Field = "Password", Old = AuditLog.Masked, New = AuditLog.Masked }], actor.Address);
        return View(user);
    }

    public Outcome<UserView> Unlock(string userName, Actor actor)
    {
        var user = Find(userName);
        if (user is null) return Outcome<UserView>.NotFound();
        var old = user.LockedUntil?.ToString("O");
        user.LockedUntil = null;
        user.FailedLogins = 0;
        _users.Upsert(user);
        _audit.Write(actor.Name, "user.unlock", user.UserName, [new AuditChange { Field = "LockedUntil", Old = old }], actor.Address);
        return View(user);
    }

    public Outcome<UserView> Delete(string userName, Actor actor)
    {
        var user = Find(userName);
        if (user is null) return Outcome<UserView>.NotFound();
        if (user.Role == Roles.Admin && !user.Disabled && ActiveAdmins() <= 1) return Outcome<UserView>.Invalid("UserName", "the last active admin cannot be deleted");
        _users.Delete(user.Id);
        _audit.Write(actor.Name, "user.delete", user.UserName, AuditLog.Diff(Snapshot(user, passwordChanged: false), new Dictionary<string, string?>()), actor.Address);
        return View(user);
    }

    /// <summary>Whether a signed-in session is still good: the user exists, is enabled, has this role and stamp.</summary>
    public bool IsCurrent(string userName, string? role, string? stamp) =>
        Find(userName) is { Disabled: false } u && u.Role == role && u.Stamp == stamp;

    private int ActiveAdmins() => _users.Count(u => u.Role == Roles.Admin && !u.Disabled);

    private AdminUser NewUser(string userName, string? displayName, string role, string password)
    {
        var user = new AdminUser
        {
            Id = userName.Trim().ToLowerInvariant(), UserName = userName.Trim(), DisplayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim(),
            Role = role, Created = _time.GetUtcNow(), Stamp = NewStamp(),
        };
        user.PasswordHash = _hasher.HashPassword(user, password);
        return user;
    }

    private static string NewStamp() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    private static Dictionary<string, string[]> Validate(UserInput input, bool creating)
    {
        var errors = new Dictionary<string, string[]>();
        var name = input.UserName?.Trim() ?? "";
        if (name.Length is < 2 or > 32 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            errors["UserName"] = ["must be 2 to 32 letters, digits, '.', '_' or '-'"];
        if (input.DisplayName is { Length: > 64 }) errors["DisplayName"] = ["must have at most 64 characters"];
        if (!Roles.IsRole(input.Role)) errors["Role"] = ["must be admin, supervisor or agent"];
        if ((creating || input.Password is { Length: > 0 }) && PasswordRules.Check(input.Password) is { } problem) errors["Password"] = [problem];
        return errors;
    }

    private static Dictionary<string, string?> Snapshot(AdminUser u, bool passwordChanged)
    {
        var d = new Dictionary<string, string?> { ["DisplayName"] = u.DisplayName, ["Role"] = u.Role, ["Disabled"] = u.Disabled ? "true" : "false" };
        if (passwordChanged) d["Password"] = AuditLog.Masked;
        return d;
    }

    private static AdminUser Clean(AdminUser u)
    {
        u.UserName ??= u.Id;
        u.Role ??= Roles.Agent;
        u.PasswordHash ??= "";
        u.Stamp ??= "";
        return u;
    }
}
