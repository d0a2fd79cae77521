using System.Collections.Concurrent;
using Hotline.Ivr.ContactCentre.Engine;

namespace Hotline.Ivr.ContactCentre;

public enum LoginResult { LoggedIn, UnknownAgent, WrongPin, LockedOut, Disabled, NoPhone }

/// <summary>
/// Agents logging in and out, pausing and resuming — from a phone (feature codes, with agent number and
/// PIN) or through the API (already authenticated by the panel). A login binds the agent to that phone for
/// the shift; one phone carries one agent, so a new login there logs the previous agent out. Logins are
/// kept in the store and restored when the switch restarts.
/// </summary>
public sealed class AgentService : IAcdObserver
{
    private readonly AcdEngine _engine;
    private readonly IContactCentreRepository _repository;
    private readonly StoreWriter _writer;
    private readonly ContactCentreOptions _options;
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Since)> _failures = new(StringComparer.Ordinal);
    /// <summary>The phone each stored session names, so only changes are written (touched on the engine's thread only).</summary>
    private readonly Dictionary<string, string> _stored = new(StringComparer.Ordinal);

    public AgentService(AcdEngine engine, IContactCentreRepository repository, StoreWriter writer, ContactCentreOptions options)
    {
        _engine = engine;
        _repository = repository;
        _writer = writer;
        _options = options;
    }

    private DateTimeOffset Now => _engine.Time.GetUtcNow();

    /// <summary>A login from a phone: agent number and PIN. Repeated wrong PINs lock the agent number for a while.</summary>
    public async Task<LoginResult> LoginAsync(string agent, string pin, string phone)
    {
        var definition = _repository.FindAgent(agent);
        if (definition is null) return LoginResult.UnknownAgent;
        var lockout = TimeSpan.FromSeconds(_options.LockoutSeconds);
        if (_failures.TryGetValue(agent, out var f) && f.Failures >= _options.MaxPinFailures && Now - f.Since < lockout) return LoginResult.LockedOut;
        if (!AgentPin.Verify(pin, definition.PinHash))
        {
            _failures.AddOrUpdate(agent, _ => (1, Now), (_, old) => Now - old.Since >= lockout ? (1, Now) : (old.Failures + 1, old.Since));
            return LoginResult.WrongPin;
        }
        _failures.TryRemove(agent, out _);
        return await BindAsync(definition, phone).ConfigureAwait(false);
    }

    /// <summary>A login through the API: the panel has authenticated the user as this agent (or a supervisor acting for them).</summary>
    public async Task<LoginResult> LoginAsync(string agent, string phone)
    {
        var definition = _repository.FindAgent(agent);
        if (definition is null) return LoginResult.UnknownAgent;
        return await BindAsync(definition, phone).ConfigureAwait(false);
    }

    private async Task<LoginResult> BindAsync(AgentDefinition definition, string phone)
    {
        if (!definition.Enabled) return LoginResult.Disabled;
        if (string.IsNullOrEmpty(phone)) return LoginResult.NoPhone;
        var previous = await AgentOnPhoneAsync(phone).ConfigureAwait(false);
        if (previous is not null && previous != definition.Number) _engine.Post(new AgentLoggedOut(default, previous));
        _engine.Post(new AgentLoggedIn(default, definition.Number, phone));
        var state = await _engine.QueryAsync(core => core.AgentSnapshot(definition.Number)?.State).ConfigureAwait(false);
        return state is null or AgentState.LoggedOut ? LoginResult.UnknownAgent : LoginResult.LoggedIn;
    }

    public void Logout(string agent) => _engine.Post(new AgentLoggedOut(default, agent));

    public void Pause(string agent, string reason) => _engine.Post(new AgentPaused(default, agent, string.IsNullOrWhiteSpace(reason) ? "paused" : reason));

    /// <summary>Ends a pause, or wrap-up early ("ready").</summary>
    public void Resume(string agent) => _engine.Post(new AgentResumed(default, agent));

    public Task<string?> AgentOnPhoneAsync(string phone) => _engine.QueryAsync(core => core.AgentOnPhone(phone));

    public Task<AgentSnapshot?> StateAsync(string agent) => _engine.QueryAsync(core => core.AgentSnapshot(agent));

    /// <summary>Whether the agent logged in on <paramref name="phone"/> has the supervisor role.</summary>
    public async Task<bool> IsSupervisorOnPhoneAsync(string phone) =>
        await AgentOnPhoneAsync(phone).ConfigureAwait(false) is { } agent && _repository.FindAgent(agent) is { Supervisor: true, Enabled: true };

    /// <summary>Logs the stored sessions back in (after a restart during a shift).</summary>
    public void RestoreSessions()
    {
        foreach (var session in _repository.Sessions())
        {
            if (_repository.FindAgent(session.Agent) is { Enabled: true })
            {
                _engine.Post(new AgentLoggedIn(default, session.Agent, session.Phone));
            }
            else _repository.DeleteSession(session.Agent);
        }
    }

    /// <summary>Keeps the stored sessions in step with the engine's logins and logouts.</summary>
    public void OnOutputs(IReadOnlyList<AcdOutput> outputs)
    {
        foreach (var o in outputs)
        {
            if (o is not AgentStateChanged s) continue;
            if (s.State == AgentState.LoggedOut)
            {
                if (_stored.Remove(s.Agent)) _writer.Post(() => _repository.DeleteSession(s.Agent));
            }
            else if (s.Phone is { } phone && _stored.GetValueOrDefault(s.Agent) != phone)
            {
                _stored[s.Agent] = phone;
                var session = new AgentSession { Agent = s.Agent, Phone = phone, Since = s.At };
                _writer.Post(() => _repository.SaveSession(session));
            }
        }
    }
}
