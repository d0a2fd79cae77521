using Hotline.Ivr.ContactCentre.Engine;
using Hotline.Switch.Routing;
using LiteDB;

namespace Hotline.Ivr.ContactCentre;

/// <summary>A queue as stored and edited through the API: plain fields, seconds as integers.</summary>
public sealed class QueueDefinition
{
    /// <summary>The number callers dial (e.g. 8000); also the queue's name inside the engine.</summary>
    [BsonId] public string Number { get; set; } = "";
    public string Name { get; set; } = "";
    public QueueStrategy Strategy { get; set; } = QueueStrategy.LongestIdle;
    public List<QueueMemberDefinition> Members { get; set; } = [];
    public int RingTimeoutSeconds { get; set; } = 15;
    public int WrapUpSeconds { get; set; } = 10;
    public int MaxWaitSeconds { get; set; }
    public int MaxLength { get; set; }
    /// <summary>"Kind:Value", e.g. "Voicemail:8000", "Queue:8001", "Extension:1001", "External:95105", "Ivr:night".</summary>
    public string? Overflow { get; set; }
    public bool OverflowWhenNoAgents { get; set; }
    public int AnnounceFirstSeconds { get; set; } = 30;
    public int AnnounceEverySeconds { get; set; } = 60;
    public int ServiceLevelSeconds { get; set; } = 15;
    public int Weight { get; set; }
    public bool AutoPauseOnNoAnswer { get; set; } = true;
    public int AutoPauseSeconds { get; set; }
    public int DefaultHandleSeconds { get; set; } = 180;
    public bool Callback { get; set; }
    public int CallbackAttempts { get; set; } = 3;
    public int CallbackRetrySeconds { get; set; } = 300;
    /// <summary>The key a waiting caller presses to be called back.</summary>
    public string CallbackKey { get; set; } = "1";
    /// <summary>The number shown to citizens when they are called back (the hotline's own number), or null for the agent's.</summary>
    public string? CallbackCallerId { get; set; }
    /// <summary>A prompt played once as the caller joins.</summary>
    public string? Greeting { get; set; }
    public bool Record { get; set; } = true;
    /// <summary>"config" when seeded from the configuration file, "admin" once changed through the API.</summary>
    public string Source { get; set; } = "admin";

    public IEnumerable<string> Problems(string where)
    {
        if (string.IsNullOrWhiteSpace(Number) || !Number.All(char.IsAsciiDigit)) yield return $"{where}:Number '{Number}' must be digits";
        if (RingTimeoutSeconds is < 5 or > 120) yield return $"{where}:RingTimeoutSeconds must be between 5 and 120";
        if (WrapUpSeconds is < 0 or > 3600) yield return $"{where}:WrapUpSeconds must be between 0 and 3600";
        if (MaxWaitSeconds < 0) yield return $"{where}:MaxWaitSeconds must not be negative";
        if (MaxLength < 0) yield return $"{where}:MaxLength must not be negative";
        if (Overflow is { Length: > 0 } && !TryParseTarget(Overflow, out _)) yield return $"{where}:Overflow '{Overflow}' must be Kind:Value with Kind one of {string.Join(", ", OverflowKinds)}";
        if (Overflow is { Length: > 0 } && TryParseTarget(Overflow, out var t) && t.Kind == RouteTargetKind.Queue && t.Value == Number)
            yield return $"{where}:Overflow must not lead back to the same queue";
        if (AnnounceFirstSeconds < 0 || AnnounceEverySeconds < 0) yield return $"{where}:AnnounceFirstSeconds and AnnounceEverySeconds must not be negative";
        if (AnnounceEverySeconds is > 0 and < 10) yield return $"{where}:AnnounceEverySeconds must be 0 or at least 10";
        if (ServiceLevelSeconds < 1) yield return $"{where}:ServiceLevelSeconds must be at least 1";
        if (AutoPauseSeconds < 0) yield return $"{where}:AutoPauseSeconds must not be negative";
        if (DefaultHandleSeconds < 1) yield return $"{where}:DefaultHandleSeconds must be at least 1";
        if (CallbackAttempts < 1) yield return $"{where}:CallbackAttempts must be at least 1";
        if (CallbackRetrySeconds < 0) yield return $"{where}:CallbackRetrySeconds must not be negative";
        if (CallbackKey.Length != 1 || !"0123456789*#".Contains(CallbackKey[0])) yield return $"{where}:CallbackKey must be one key (0-9, * or #)";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Members.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Members[i].Agent)) yield return $"{where}:Members:{i}:Agent must not be empty";
            else if (!seen.Add(Members[i].Agent)) yield return $"{where}:Members:{i}:Agent {Members[i].Agent} is listed twice";
            if (Members[i].Weight < 1) yield return $"{where}:Members:{i}:Weight must be at least 1";
        }
    }

    private static readonly RouteTargetKind[] OverflowKinds =
        [RouteTargetKind.Extension, RouteTargetKind.External, RouteTargetKind.Ivr, RouteTargetKind.Queue, RouteTargetKind.Voicemail, RouteTargetKind.Conference];

    /// <summary>Parses "Kind:Value" (kind names as in <see cref="RouteTargetKind"/>, any case).</summary>
    public static bool TryParseTarget(string text, out RouteTarget target)
    {
        target = null!;
        int colon = text.IndexOf(':');
        if (colon <= 0 || colon == text.Length - 1) return false;
        if (!Enum.TryParse<RouteTargetKind>(text[..colon], ignoreCase: true, out var kind) || !OverflowKinds.Contains(kind)) return false;
        target = new RouteTarget(kind, text[(colon + 1)..]);
        return true;
    }

    public QueueSettings ToSettings() => new()
    {
        Name = Number,
        Strategy = Strategy,
        Members = Members.Select(m => new QueueMember(m.Agent, m.Weight)).ToList(),
        RingTimeout = TimeSpan.FromSeconds(RingTimeoutSeconds),
        WrapUp = TimeSpan.FromSeconds(WrapUpSeconds),
        MaxWait = TimeSpan.FromSeconds(MaxWaitSeconds),
        MaxLength = MaxLength,
        Overflow = Overflow is { Length: > 0 } && TryParseTarget(Overflow, out var t) ? t : null,
        OverflowWhenNoAgents = OverflowWhenNoAgents,
        AnnounceFirst = TimeSpan.FromSeconds(AnnounceFirstSeconds),
        AnnounceEvery = TimeSpan.FromSeconds(AnnounceEverySeconds),
        ServiceLevel = TimeSpan.FromSeconds(ServiceLevelSeconds),
        Weight = Weight,
        AutoPauseOnNoAnswer = AutoPauseOnNoAnswer,
        AutoPauseFor = TimeSpan.FromSeconds(AutoPauseSeconds),
        DefaultHandleTime = TimeSpan.FromSeconds(DefaultHandleSeconds),
        CallbackEnabled = Callback,
        CallbackAttempts = CallbackAttempts,
        CallbackRetryDelay = TimeSpan.FromSeconds(CallbackRetrySeconds),
    };
}

public sealed class QueueMemberDefinition
{
    public string Agent { get; set; } = "";
    public int Weight { get; set; } = 1;
}

/// <summary>An agent as stored: the agent number they log in with, a hashed PIN, skills and role.</summary>
public sealed class AgentDefinition
{
    /// <summary>The agent number typed at login (digits); also the agent's id in the engine.</summary>
    [BsonId] public string Number { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>PBKDF2 of the PIN (see <see cref="AgentPin"/>); never the PIN itself.</summary>
    public string PinHash { get; set; } = "";
    /// <summary>Skill → level 1..10.</summary>
    public Dictionary<string, int> Skills { get; set; } = [];
    /// <summary>Overrides the queues' wrap-up time for this agent.</summary>
    public int? WrapUpSeconds { get; set; }
    /// <summary>May listen to, whisper to and barge into other agents' calls.</summary>
    public bool Supervisor { get; set; }
    public bool Enabled { get; set; } = true;
    public string Source { get; set; } = "admin";

    public IEnumerable<string> Problems(string where)
    {
        if (string.IsNullOrWhiteSpace(Number) || !Number.All(char.IsAsciiDigit)) yield return $"{where}:Number '{Number}' must be digits";
        if (string.IsNullOrEmpty(PinHash)) yield return $"{where}:Pin must be set";
        foreach (var (skill, level) in Skills)
        {
            if (string.IsNullOrWhiteSpace(skill)) yield return $"{where}:Skills has an empty skill name";
            if (level is < 1 or > 10) yield return $"{where}:Skills:{skill} must be between 1 and 10";
        }
        if (WrapUpSeconds is < 0 or > 3600) yield return $"{where}:WrapUpSeconds must be between 0 and 3600";
    }

    public AgentSettings ToSettings() =>
        new(Number, Name, new Dictionary<string, int>(Skills, StringComparer.Ordinal), WrapUpSeconds is { } w ? TimeSpan.FromSeconds(w) : null);
}

/// <summary>A conference room.</summary>
public sealed class ConferenceRoomDefinition
{
    [BsonId] public string Number { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>PIN participants enter, or empty for none.</summary>
    public string Pin { get; set; } = "";
    /// <summary>PIN that makes the caller the moderator, or empty (then nobody joins as moderator by phone).</summary>
    public string ModeratorPin { get; set; } = "";
    /// <summary>Participants wait with music until a moderator joins.</summary>
    public bool WaitForModerator { get; set; }
    /// <summary>Record the mixed room while anyone is in it.</summary>
    public bool Record { get; set; }
    public bool JoinLeaveTones { get; set; } = true;
    public int MaxParticipants { get; set; } = 50;
    public string Source { get; set; } = "admin";

    public IEnumerable<string> Problems(string where)
    {
        if (string.IsNullOrWhiteSpace(Number) || !Number.All(char.IsAsciiDigit)) yield return $"{where}:Number '{Number}' must be digits";
        if (Pin.Length > 0 && !Pin.All(char.IsAsciiDigit)) yield return $"{where}:Pin must be digits";
        if (ModeratorPin.Length > 0 && !ModeratorPin.All(char.IsAsciiDigit)) yield return $"{where}:ModeratorPin must be digits";
        if (Pin.Length > 0 && Pin == ModeratorPin) yield return $"{where}:ModeratorPin must differ from Pin";
        if (WaitForModerator && ModeratorPin.Length == 0) yield return $"{where}:WaitForModerator needs a ModeratorPin";
        if (MaxParticipants is < 2 or > 500) yield return $"{where}:MaxParticipants must be between 2 and 500";
    }
}

/// <summary>A caller who hung up before an agent answered, kept so someone calls them back.</summary>
public sealed class AbandonedCall
{
    [BsonId] public string Id { get; set; } = "";
    public string CallId { get; set; } = "";
    public string Queue { get; set; } = "";
    public string Caller { get; set; } = "";
    public DateTimeOffset Abandoned { get; set; }
    public int WaitedSeconds { get; set; }
    /// <summary>Why it is listed: "abandoned" or "callback-failed".</summary>
    public string Reason { get; set; } = "abandoned";
    /// <summary>When someone called back (scheduled a callback, or dialled them), and who.</summary>
    public DateTimeOffset? Handled { get; set; }
    public string? HandledBy { get; set; }
}

/// <summary>An agent's login: which phone they are bound to, restored if the switch restarts during the shift.</summary>
public sealed class AgentSession
{
    [BsonId] public string Agent { get; set; } = "";
    public string Phone { get; set; } = "";
    public DateTimeOffset Since { get; set; }
}
