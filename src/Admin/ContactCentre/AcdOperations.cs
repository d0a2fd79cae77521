using System.Globalization;
using Hotline.Admin.Audit;
using Hotline.Admin.Services;
using Hotline.Ivr.ContactCentre;
using Hotline.Ivr.ContactCentre.Engine;
using Hotline.Switch.Accounts;
using Microsoft.Extensions.Logging;

namespace Hotline.Admin.ContactCentre;

/// <summary>A click-to-dial from the panel: ring the agent (or a phone), then the customer's numbers in order.</summary>
public sealed record ClickToDialInput(string? Agent, string? Phone, IReadOnlyList<string>? Numbers, string? CallerId);

/// <summary>
/// The contact centre's live side through the panel and the API: the snapshot (queues, waiting callers,
/// agents by state, figures), agents logged in, out, paused and resumed by a supervisor, the abandoned-call
/// list worked (callback scheduled, marked handled), click-to-dial started, statistics reset. Every command
/// is audited.
/// </summary>
public sealed class AcdOperations(ContactCentreHost contactCentre, IExtensionRepository extensions, AuditLog audit, TimeProvider time, ILogger<AcdOperations> logger)
{
    public const int MaxPauseReason = 40;

    public ContactCentreEvents Events => contactCentre.Events;

    public async Task<AcdLive> SnapshotAsync()
    {
        var snapshot = await contactCentre.Engine.SnapshotAsync().ConfigureAwait(false);
        var names = contactCentre.Directory.Queues().ToDictionary(q => q.Number, q => q.Name, StringComparer.Ordinal);
        return AcdLive.Of(snapshot, n => names.GetValueOrDefault(n, n));
    }

    public async Task<AgentLive?> AgentAsync(string agent)
    {
        var s = await contactCentre.Agents.StateAsync(agent).ConfigureAwait(false);
        if (s is null) return null;
        var now = time.GetUtcNow();
        return new AgentLive(s.Id, s.Name, s.State, s.Reason, s.Phone, s.CallId, s.Since, QueueFigures.Seconds(now - s.Since), s.PhoneBusy, s.Queues, AgentFigures.Of(s.Statistics));
    }

    /// <summary>Logs an agent in at <paramref name="phone"/> (an extension), as a supervisor acting for them.</summary>
    public async Task<Outcome<AgentLive>> LoginAsync(string agent, string? phone, Actor actor)
    {
        if (contactCentre.Directory.Agent(agent) is null) return Outcome<AgentLive>.NotFound();
        var extension = phone?.Trim() ?? "";
        if (extension.Length == 0) return Outcome<AgentLive>.Invalid("Phone", "is required: the extension the agent works at");
        if (extensions.Find(extension) is null) return Outcome<AgentLive>.Invalid("Phone", $"no extension {extension}");
        var before = await contactCentre.Agents.StateAsync(agent).ConfigureAwait(false);
        var result = await contactCentre.Agents.LoginAsync(agent, extension).ConfigureAwait(false);
        switch (result)
        {
            case LoginResult.Disabled: return Outcome<AgentLive>.Invalid("Agent", $"agent {agent} is disabled");
            case LoginResult.UnknownAgent: return Outcome<AgentLive>.NotFound();
            case not LoginResult.LoggedIn: return Outcome<AgentLive>.Refused($"login refused: {result}");
        }
        audit.Write(actor.Name, "agent.login", agent,
            [new AuditChange { Field = "Phone", Old = before?.State == AgentState.LoggedOut ? null : before?.Phone, New = extension }], actor.Address);
        return (await AgentAsync(agent))!;
    }

    public Task<Outcome<AgentLive>> LogoutAsync(string agent, Actor actor) =>
        CommandAsync(agent, "agent.logout", actor, s => s.State == AgentState.LoggedOut ? $"agent {agent} is not logged in" : null,
            () => contactCentre.Agents.Logout(agent));

    public Task<Outcome<AgentLive>> PauseAsync(string agent, string? reason, Actor actor)
    {
        var why = string.IsNullOrWhiteSpace(reason) ? "supervisor" : reason.Trim();
        if (why.Length > MaxPauseReason) return Task.FromResult(Outcome<AgentLive>.Invalid("Reason", $"must have at most {MaxPauseReason} characters"));
        return CommandAsync(agent, "agent.pause", actor, s => s.State switch
        {
            AgentState.LoggedOut => $"agent {agent} is not logged in",
            AgentState.Paused => $"agent {agent} is paused already",
            _ => null,
        }, () => contactCentre.Agents.Pause(agent, why), why);
    }

    public Task<Outcome<AgentLive>> ResumeAsync(string agent, Actor actor) =>
        CommandAsync(agent, "agent.resume", actor, s => s.State is AgentState.Paused or AgentState.WrapUp ? null : $"agent {agent} is {s.State.ToString().ToLowerInvariant()}, not paused or in wrap-up",
            () => contactCentre.Agents.Resume(agent));

    private async Task<Outcome<AgentLive>> CommandAsync(string agent, string action, Actor actor, Func<AgentSnapshot, string?> refuse, Action post, string? reason = null)
    {
        var before = await contactCentre.Agents.StateAsync(agent).ConfigureAwait(false);
        if (before is null) return Outcome<AgentLive>.NotFound();
        if (refuse(before) is { } refusal) return Outcome<AgentLive>.Refused(refusal);
        post();
        await contactCentre.Engine.FlushAsync().ConfigureAwait(false);
        var after = (await AgentAsync(agent))!;
        var changes = new List<AuditChange> { new() { Field = "State", Old = before.State.ToString(), New = after.State.ToString() } };
        if (reason is not null) changes.Add(new AuditChange { Field = "Reason", New = reason });
        audit.Write(actor.Name, action, agent, changes, actor.Address);
        return after;
    }

    public IReadOnlyList<AbandonedCall> Abandoned(bool includeHandled, int limit = 200) => contactCentre.Abandoned.List(includeHandled, limit);

    /// <summary>Puts an abandoned caller back in a queue as a callback (ahead of new callers).</summary>
    public Outcome<AbandonedCall> ScheduleCallback(string id, string? queue, Actor actor)
    {
        var entry = contactCentre.Repository.FindAbandoned(id);
        if (entry is null) return Outcome<AbandonedCall>.NotFound();
        var target = string.IsNullOrWhiteSpace(queue) ? null : queue.Trim();
        if (target is not null && contactCentre.Directory.Queue(target) is null) return Outcome<AbandonedCall>.Invalid("Queue", $"no queue {target}");
        if (target is null && contactCentre.Directory.Queue(entry.Queue) is null) return Outcome<AbandonedCall>.Invalid("Queue", $"queue {entry.Queue} no longer exists: name another");
        if (!contactCentre.Abandoned.ScheduleCallback(id, actor.Name, target)) return Outcome<AbandonedCall>.Refused($"{entry.Caller} was taken already by {contactCentre.Repository.FindAbandoned(id)?.HandledBy}");
        audit.Write(actor.Name, "abandoned.callback", entry.Caller, [new AuditChange { Field = "Queue", New = target ?? entry.Queue }], actor.Address);
        return contactCentre.Repository.FindAbandoned(id)!;
    }

    public Outcome<AbandonedCall> MarkHandled(string id, Actor actor)
    {
        var entry = contactCentre.Repository.FindAbandoned(id);
        if (entry is null) return Outcome<AbandonedCall>.NotFound();
        if (!contactCentre.Abandoned.MarkHandled(id, actor.Name)) return Outcome<AbandonedCall>.Refused($"{entry.Caller} was taken already by {contactCentre.Repository.FindAbandoned(id)?.HandledBy}");
        audit.Write(actor.Name, "abandoned.handled", entry.Caller, [new AuditChange { Field = "Handled", New = "true" }], actor.Address);
        return contactCentre.Repository.FindAbandoned(id)!;
    }

    /// <summary>
    /// Starts a click-to-dial in the background (the agent's phone rings first); its attempts and result are
    /// published as events (clicktodial.attempt, clicktodial.finished) for the panel and the event stream.
    /// </summary>
    public async Task<Outcome<ClickToDialRequest>> ClickToDialAsync(ClickToDialInput input, Actor actor)
    {
        var errors = new Dictionary<string, string[]>();
        var numbers = (input.Numbers ?? []).Select(n => n.Trim()).Where(n => n.Length > 0).ToList();
        if (numbers.Count == 0) errors["Numbers"] = ["at least one number is needed"];
        else if (numbers.FirstOrDefault(n => n.Length < 3 || !n.TrimStart('+').All(char.IsAsciiDigit)) is { } bad) errors["Numbers"] = [$"'{bad}' is not a phone number"];
        if (input.CallerId is { Length: > 0 } cid && !cid.TrimStart('+').All(char.IsAsciiDigit)) errors["CallerId"] = [$"'{cid}' is not a phone number"];
        var agent = string.IsNullOrWhiteSpace(input.Agent) ? null : input.Agent.Trim();
        var phone = string.IsNullOrWhiteSpace(input.Phone) ? null : input.Phone.Trim();
        if (agent is null && phone is null) errors["Agent"] = ["name an agent (logged in) or a phone"];
        else if (agent is not null && await contactCentre.Agents.StateAsync(agent).ConfigureAwait(false) is not { State: not AgentState.LoggedOut })
            errors["Agent"] = [$"agent {agent} is not logged in"];
        else if (agent is null && extensions.Find(phone!) is null) errors["Phone"] = [$"no extension {phone}"];
        if (errors.Count > 0) return Outcome<ClickToDialRequest>.Invalid(errors);
        var request = new ClickToDialRequest(agent, agent is null ? phone : null, numbers, string.IsNullOrWhiteSpace(input.CallerId) ? null : input.CallerId.Trim(),
            new Dictionary<string, string> { ["clicktodial.by"] = actor.Name });
        audit.Write(actor.Name, "clicktodial", agent ?? phone!, [new AuditChange { Field = "Numbers", New = string.Join(",", numbers) }], actor.Address);
        _ = Task.Run(async () =>
        {
            try
            {
                await contactCentre.ClickToDial.DialAsync(request).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "click-to-dial for {Agent} failed", agent ?? phone);
                Events.Publish("clicktodial.failed", new { request.Agent, Phone = request.Phone, Reason = e.Message });
            }
        });
        return request;
    }

    /// <summary>Starts a new statistics period for every queue and agent (e.g. at the start of a shift).</summary>
    public async Task ResetStatisticsAsync(Actor actor)
    {
        contactCentre.Engine.Post(new StatisticsReset(default));
        await contactCentre.Engine.FlushAsync().ConfigureAwait(false);
        audit.Write(actor.Name, "acd.stats.reset", "statistics", [new AuditChange { Field = "Since", New = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) }], actor.Address);
    }
}
