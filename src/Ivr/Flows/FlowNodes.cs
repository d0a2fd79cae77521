namespace Hotline.Ivr.Flows;

/// <summary>
/// A step of a flow. <see cref="Exits"/> lists the nodes it can go to, by the field that names them, so
/// the validator can check every reference and find unreachable nodes without knowing each type.
/// A null exit (a field left out) ends the flow: the call is hung up.
/// </summary>
public abstract record FlowNode
{
    public required string Id { get; init; }
    public abstract string Type { get; }
    public abstract IEnumerable<(string Field, string? Target)> Exits { get; }
    public virtual IEnumerable<string> PromptNames => [];
}

/// <summary>Plays prompts; with <see cref="Interruptible"/> a key press ends them and is kept for the next menu or collect.</summary>
public sealed record PlayNode : FlowNode
{
    public override string Type => "play";
    public IReadOnlyList<string> Prompts { get; init; } = [];
    public bool Interruptible { get; init; }
    public string? Next { get; init; }
    public override IEnumerable<(string, string?)> Exits => [("next", Next)];
    public override IEnumerable<string> PromptNames => Prompts;
}

/// <summary>
/// A menu: prompts, then one key chooses the next node. A wrong key plays <see cref="InvalidPrompts"/>, no key
/// in <see cref="TimeoutSeconds"/> plays <see cref="TimeoutPrompts"/>, and the menu is offered again, up to
/// <see cref="MaxAttempts"/> times in all; then the call goes to <see cref="OnInvalid"/> or <see cref="OnTimeout"/>
/// (by what went wrong last), else <see cref="OnFailure"/>, else it is hung up.
/// </summary>
public sealed record MenuNode : FlowNode
{
    public override string Type => "menu";
    public IReadOnlyList<string> Prompts { get; init; } = [];
    public required IReadOnlyDictionary<char, string> Options { get; init; }
    public double TimeoutSeconds { get; init; } = 5;
    public int MaxAttempts { get; init; } = 3;
    public IReadOnlyList<string> InvalidPrompts { get; init; } = [];
    public IReadOnlyList<string> TimeoutPrompts { get; init; } = [];
    public string? OnInvalid { get; init; }
    public string? OnTimeout { get; init; }
    public string? OnFailure { get; init; }
    /// <summary>The variable that receives the key chosen (default "menu").</summary>
    public string Variable { get; init; } = "menu";

    public override IEnumerable<(string, string?)> Exits =>
        Options.Select(o => ($"options.{o.Key}", (string?)o.Value)).Concat([("onInvalid", OnInvalid), ("onTimeout", OnTimeout), ("onFailure", OnFailure)]);
    public override IEnumerable<string> PromptNames => Prompts.Concat(InvalidPrompts).Concat(TimeoutPrompts);
}

/// <summary>Collects several digits into a variable (an ID number, a case number, an extension).</summary>
public sealed record CollectNode : FlowNode
{
    public override string Type => "collect";
    public IReadOnlyList<string> Prompts { get; init; } = [];
    public required string Variable { get; init; }
    public int MinDigits { get; init; } = 1;
    public int MaxDigits { get; init; } = 20;
    /// <summary>The key that ends the input early; null for none.</summary>
    public char? Terminator { get; init; } = '#';
    public double TimeoutSeconds { get; init; } = 5;
    public double InterDigitTimeoutSeconds { get; init; } = 3;
    /// <summary>A regular expression the whole input must match (checked after the digit counts).</summary>
    public string? Pattern { get; init; }
    public int MaxAttempts { get; init; } = 3;
    public IReadOnlyList<string> InvalidPrompts { get; init; } = [];
    public string? Next { get; init; }
    public string? OnFailure { get; init; }

    public override IEnumerable<(string, string?)> Exits => [("next", Next), ("onFailure", OnFailure)];
    public override IEnumerable<string> PromptNames => Prompts.Concat(InvalidPrompts);
}

/// <summary>Records the caller to a WAV under the data directory; the file's path goes into <see cref="Variable"/>.</summary>
public sealed record RecordNode : FlowNode
{
    public override string Type => "record";
    public IReadOnlyList<string> Prompts { get; init; } = [];
    public string Variable { get; init; } = "recording";
    public double MaxSeconds { get; init; } = 120;
    public double SilenceSeconds { get; init; } = 5;
    public bool Beep { get; init; } = true;
    public char? StopDigit { get; init; } = '#';
    public string? Next { get; init; }

    public override IEnumerable<(string, string?)> Exits => [("next", Next)];
    public override IEnumerable<string> PromptNames => Prompts;
}

public enum TransferKind { Extension, External, Queue, Flow }

/// <summary>
/// Sends the caller on: rings an extension or an external number (through the trunks), hands the call to a
/// queue, or continues in another flow. <see cref="Value"/> may use variables ("${digits}").
/// When the connection fails the call goes to <see cref="OnBusy"/>, <see cref="OnNoAnswer"/> or <see cref="OnFailure"/>.
/// </summary>
public sealed record TransferNode : FlowNode
{
    public override string Type => "transfer";
    public required TransferKind Target { get; init; }
    public required string Value { get; init; }
    public double RingTimeoutSeconds { get; init; } = 30;
    public bool Record { get; init; } = true;
    public string? CallerId { get; init; }
    /// <summary>For external numbers that might be answered by a voicemail box: the key the answerer must press.</summary>
    public char? AcceptDigit { get; init; }
    public string? AcceptPrompt { get; init; }
    public string? OnBusy { get; init; }
    public string? OnNoAnswer { get; init; }
    public string? OnFailure { get; init; }

    public override IEnumerable<(string, string?)> Exits => [("onBusy", OnBusy), ("onNoAnswer", OnNoAnswer), ("onFailure", OnFailure)];
    public override IEnumerable<string> PromptNames => AcceptPrompt is null ? [] : [AcceptPrompt];
}

/// <summary>Takes a message for a mailbox (greeting, beep, recording, message-waiting).</summary>
public sealed record VoicemailNode : FlowNode
{
    public override string Type => "voicemail";
    public required string Mailbox { get; init; }
    /// <summary>A prompt in place of the mailbox's own greeting.</summary>
    public string? Greeting { get; init; }
    public string? Next { get; init; }

    public override IEnumerable<(string, string?)> Exits => [("next", Next)];
    public override IEnumerable<string> PromptNames => Greeting is null ? [] : [Greeting];
}

/// <summary>
/// Chooses by the period a schedule is in now. A period without its own exit falls back: lunch, holiday and
/// night service to <see cref="AfterHours"/>; <see cref="AfterHours"/> to <see cref="Default"/>.
/// </summary>
public sealed record TimeSwitchNode : FlowNode
{
    public override string Type => "timeSwitch";
    public required string Schedule { get; init; }
    public string? Work { get; init; }
    public string? Lunch { get; init; }
    public string? AfterHours { get; init; }
    public string? Holiday { get; init; }
    public string? NightService { get; init; }
    public string? Default { get; init; }

    public override IEnumerable<(string, string?)> Exits =>
        [("work", Work), ("lunch", Lunch), ("afterHours", AfterHours), ("holiday", Holiday), ("nightService", NightService), ("default", Default)];
}

/// <summary>
/// Looks the caller up in the blacklist. A listed caller goes to <see cref="OnListed"/> when given, else the
/// entry's own action is carried out (reject, notice, voicemail); others go to <see cref="Next"/>.
/// </summary>
public sealed record BlacklistNode : FlowNode
{
    public override string Type => "blacklist";
    public string? OnListed { get; init; }
    public string? Next { get; init; }

    public override IEnumerable<(string, string?)> Exits => [("onListed", OnListed), ("next", Next)];
}

/// <summary>Sets variables from templates ("${caller}", "vip", "${http.level}").</summary>
public sealed record SetNode : FlowNode
{
    public override string Type => "set";
    public required IReadOnlyDictionary<string, string> Variables { get; init; }
    public string? Next { get; init; }

    public override IEnumerable<(string, string?)> Exits => [("next", Next)];
}

public enum BranchMatch { Equals, Prefix, Regex }

public sealed record BranchCase(BranchMatch Match, string Pattern, string Next);

/// <summary>Goes to the first case whose pattern matches <see cref="Value"/> (a template), else to <see cref="Default"/>.</summary>
public sealed record BranchNode : FlowNode
{
    public override string Type => "branch";
    public required string Value { get; init; }
    public required IReadOnlyList<BranchCase> Cases { get; init; }
    public string? Default { get; init; }

    public override IEnumerable<(string, string?)> Exits =>
        Cases.Select((c, i) => ($"cases[{i}].next", (string?)c.Next)).Concat([("default", Default)]);
}

/// <summary>
/// Asks an external service (CRM, case system) about the caller: GETs or POSTs <see cref="Url"/> (a template),
/// stores the answer's top-level fields as variables "<see cref="SaveAs"/>.field" (a plain-text answer as
/// "<see cref="SaveAs"/>"), then branches on <see cref="Field"/> through <see cref="Cases"/>, else to
/// <see cref="Next"/>. A timeout, a connection failure or a non-2xx answer goes to <see cref="OnError"/>.
/// </summary>
public sealed record HttpLookupNode : FlowNode
{
    public override string Type => "httpLookup";
    public required string Url { get; init; }
    public string Method { get; init; } = "GET";
    public double TimeoutSeconds { get; init; } = 3;
    public string SaveAs { get; init; } = "http";
    public string? Field { get; init; }
    public IReadOnlyDictionary<string, string> Cases { get; init; } = new Dictionary<string, string>();
    public string? Next { get; init; }
    public string? OnError { get; init; }

    public override IEnumerable<(string, string?)> Exits =>
        Cases.Select(c => ($"cases.{c.Key}", (string?)c.Value)).Concat([("next", Next), ("onError", OnError)]);
}

/// <summary>Ends the call, after optional prompts; an unanswered call is refused with <see cref="Status"/>.</summary>
public sealed record HangupNode : FlowNode
{
    public override string Type => "hangup";
    public IReadOnlyList<string> Prompts { get; init; } = [];
    public int? Status { get; init; }

    public override IEnumerable<(string, string?)> Exits => [];
    public override IEnumerable<string> PromptNames => Prompts;
}
