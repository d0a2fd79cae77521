using System.Text.RegularExpressions;
using Hotline.Ivr.Calls;
using Hotline.Ivr.Flows;
using Hotline.Ivr.Schedules;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.Engine;

public sealed partial class FlowInterpreter
{
    private static readonly TimeSpan RegexBudget = TimeSpan.FromMilliseconds(100);

    /// <summary>Set by the composition: carries out blacklist actions for blacklist nodes that have no onListed exit.</summary>
    public Blacklist.BlacklistCalls? BlacklistActions { get; set; }

    private Task<Step> ExecuteAsync(FlowSession s, FlowDefinition flow, FlowNode node) => node switch
    {
        PlayNode n => PlayAsync(s, n),
        MenuNode n => MenuAsync(s, n),
        CollectNode n => CollectAsync(s, n),
        RecordNode n => RecordAsync(s, flow, n),
        TransferNode n => TransferAsync(s, n),
        VoicemailNode n => VoicemailAsync(s, n),
        TimeSwitchNode n => Task.FromResult(TimeSwitch(s, n)),
        BlacklistNode n => BlacklistAsync(s, n),
        SetNode n => Task.FromResult(Set(s, n)),
        BranchNode n => Task.FromResult(Branch(s, n)),
        HttpLookupNode n => HttpLookupAsync(s, n),
        HangupNode n => HangupAsync(s, n),
        _ => throw new InvalidOperationException($"node type {node.Type} has no implementation"),
    };

    private async Task<Step> PlayAsync(FlowSession s, PlayNode n)
    {
        await _prompts.PlayAsync(s.Call, n.Prompts, n.Interruptible, s.Ct);
        return Step.To(n.Next);
    }

    private async Task<Step> MenuAsync(FlowSession s, MenuNode n)
    {
        var timedOut = false;
        var rules = new DigitCollection(1, 1, null, TimeSpan.FromSeconds(n.TimeoutSeconds));
        for (var attempt = 1; attempt <= n.MaxAttempts; attempt++)
        {
            var key = await _prompts.AskAsync(s.Call, n.Prompts, rules, s.Ct);
            if (key.Length > 0 && n.Options.TryGetValue(key[0], out var next))
            {
                s.Vars[n.Variable] = key[..1];
                s.Vars[FlowVariables.Digits] = key[..1];
                return Step.To(next);
            }
            timedOut = key.Length == 0;
            await _prompts.PlayAsync(s.Call, timedOut ? n.TimeoutPrompts : n.InvalidPrompts, interruptible: true, s.Ct);
        }
        return Step.To((timedOut ? n.OnTimeout : n.OnInvalid) ?? n.OnFailure);
    }

    private async Task<Step> CollectAsync(FlowSession s, CollectNode n)
    {
        var rules = new DigitCollection(n.MinDigits, n.MaxDigits, n.Terminator, TimeSpan.FromSeconds(n.TimeoutSeconds), TimeSpan.FromSeconds(n.InterDigitTimeoutSeconds));
        for (var attempt = 1; attempt <= n.MaxAttempts; attempt++)
        {
            var digits = await _prompts.AskAsync(s.Call, n.Prompts, rules, s.Ct);
            if (n.Terminator is { } t) digits = digits.TrimEnd(t);
            if (digits.Length >= n.MinDigits && digits.Length <= n.MaxDigits
                && (n.Pattern is null || Regex.IsMatch(digits, n.Pattern, RegexOptions.None, RegexBudget)))
            {
                s.Vars[n.Variable] = digits;
                s.Vars[FlowVariables.Digits] = digits;
                return Step.To(n.Next);
            }
            await _prompts.PlayAsync(s.Call, n.InvalidPrompts, interruptible: true, s.Ct);
        }
        return Step.To(n.OnFailure);
    }

    private async Task<Step> RecordAsync(FlowSession s, FlowDefinition flow, RecordNode n)
    {
        await _prompts.PlayAsync(s.Call, n.Prompts, interruptible: false, s.Ct);
        var callPart = new string(s.Call.CallId.Where(char.IsAsciiLetterOrDigit).Take(40).ToArray());
        var path = Path.Combine(_recordings, "flows", flow.Id, $"{_time.GetUtcNow():yyyy-MM-dd}", $"{_time.GetUtcNow():HHmmss}-{callPart}-{n.Id}-{++s.Recordings}.wav");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // The path is known before recording starts, so a caller who hangs up mid-message still leaves it behind.
        s.Vars[n.Variable] = path;
        await CallPrompts.EnsureAnsweredAsync(s.Call, s.Ct);
        var result = await s.Call.RecordAsync(path, new RecordOptions(TimeSpan.FromSeconds(n.MaxSeconds), TimeSpan.FromSeconds(n.SilenceSeconds), n.Beep, n.StopDigit), s.Ct);
        s.Vars[n.Variable + ".seconds"] = result.Duration.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        return Step.To(n.Next);
    }

    private async Task<Step> TransferAsync(FlowSession s, TransferNode n)
    {
        var value = s.Expand(n.Value);
        switch (n.Target)
        {
            case TransferKind.Flow:
                return Step.ToFlow(value);
            case TransferKind.Queue:
            {
                var target = new RouteTarget(RouteTargetKind.Queue, value);
                if (_destinations.Find(target) is not { } queue)
                {
                    _logger.LogWarning("call {CallId}: no queue service for '{Queue}'", s.Call.CallId, value);
                    return Step.To(n.OnFailure);
                }
                s.Vars.Remove(FlowVariables.QueueExit);
                await queue.RunAsync(s.Call, target);
                if (s.Call.Ended.IsCancellationRequested) return Step.Done(FlowOutcome.CallerLeft);
                // A queue that gives the caller back says why; one that connected (or kept) the caller says nothing.
                return s.Vars.TryGetValue(FlowVariables.QueueExit, out var exit) && exit != "connected"
                    ? Step.To(n.OnFailure) : Step.Done(FlowOutcome.Connected);
            }
        }
        var kind = n.Target == TransferKind.Extension ? RouteTargetKind.Extension : RouteTargetKind.External;
        var acceptPrompt = n.AcceptPrompt is null ? null : _prompts.Resolver.Resolve(n.AcceptPrompt);
        var options = new ConnectOptions(TimeSpan.FromSeconds(n.RingTimeoutSeconds), n.Record, n.CallerId is null ? null : s.Expand(n.CallerId), n.AcceptDigit, acceptPrompt);
        var result = await s.Call.ConnectAsync(new RouteTarget(kind, value), options, s.Ct);
        s.Vars["transfer.status"] = result.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        s.Vars["transfer.outcome"] = result.Outcome.ToString();
        return result.Outcome switch
        {
            ConnectOutcome.Answered => Step.Done(FlowOutcome.Connected),
            ConnectOutcome.CallerHungUp => Step.Done(FlowOutcome.CallerLeft),
            ConnectOutcome.Busy => Step.To(n.OnBusy ?? n.OnFailure),
            ConnectOutcome.NoAnswer => Step.To(n.OnNoAnswer ?? n.OnFailure),
            _ => Step.To(n.OnFailure),
        };
    }

    private async Task<Step> VoicemailAsync(FlowSession s, VoicemailNode n)
    {
        var message = await _voicemail.LeaveMessageAsync(s.Call, s.Expand(n.Mailbox), n.Greeting, s.Ct);
        s.Vars["voicemail.id"] = message?.Id ?? "";
        return Step.To(n.Next);
    }

    private Step TimeSwitch(FlowSession s, TimeSwitchNode n)
    {
        var now = _schedules.Current(n.Schedule);
        if (now is null)
        {
            _logger.LogWarning("call {CallId}: no schedule '{Schedule}'; taking the default exit", s.Call.CallId, n.Schedule);
            return Step.To(n.Default);
        }
        s.Vars[FlowVariables.Period] = PeriodName(now.Period);
        var afterHours = n.AfterHours ?? n.Default;
        return Step.To(now.Period switch
        {
            Period.Work => n.Work ?? n.Default,
            Period.Lunch => n.Lunch ?? afterHours,
            Period.Holiday => n.Holiday ?? afterHours,
            Period.NightService => n.NightService ?? afterHours,
            _ => afterHours,
        });
    }

    public static string PeriodName(Period p) => p switch
    {
        Period.Work => "work",
        Period.Lunch => "lunch",
        Period.Holiday => "holiday",
        Period.NightService => "nightService",
        _ => "afterHours",
    };

    private async Task<Step> BlacklistAsync(FlowSession s, BlacklistNode n)
    {
        var entry = _blacklist.Check(s.Call.Caller, s.Scope);
        if (entry is null) return Step.To(n.Next);
        s.Vars["blacklist.reason"] = entry.Reason;
        if (n.OnListed is not null) return Step.To(n.OnListed);
        if (BlacklistActions is null) throw new InvalidOperationException("no blacklist actions configured");
        await BlacklistActions.EnforceAsync(s.Call, entry, s.Scope, s.Ct);
        return Step.Done(FlowOutcome.HungUp);
    }

    private static Step Set(FlowSession s, SetNode n)
    {
        // All templates see the variables as they were before this node, whatever the order of assignment.
        var values = n.Variables.Select(v => (v.Key, Value: s.Expand(v.Value))).ToList();
        foreach (var (name, value) in values) s.Vars[name] = value;
        return Step.To(n.Next);
    }

    private static Step Branch(FlowSession s, BranchNode n)
    {
        var value = s.Expand(n.Value);
        foreach (var c in n.Cases)
        {
            var match = c.Match switch
            {
                BranchMatch.Equals => value == c.Pattern,
                BranchMatch.Prefix => value.StartsWith(c.Pattern, StringComparison.Ordinal),
                _ => Regex.IsMatch(value, c.Pattern, RegexOptions.None, RegexBudget),
            };
            if (match) return Step.To(c.Next);
        }
        return Step.To(n.Default);
    }

    private async Task<Step> HangupAsync(FlowSession s, HangupNode n)
    {
        if (n.Prompts.Count > 0) await _prompts.PlayAsync(s.Call, n.Prompts, interruptible: false, s.Ct);
        await s.Call.HangupAsync(s.Call.Answered ? 0 : n.Status ?? 0);
        return Step.Done(FlowOutcome.HungUp);
    }
}
