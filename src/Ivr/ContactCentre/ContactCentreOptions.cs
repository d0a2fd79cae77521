namespace Hotline.Ivr.ContactCentre;

/// <summary>Configuration section "ContactCentre": seeds for the store, feature codes, prompts.</summary>
public sealed class ContactCentreOptions
{
    public List<QueueDefinition> Queues { get; set; } = [];
    public List<AgentConfig> Agents { get; set; } = [];
    public List<ConferenceRoomDefinition> Rooms { get; set; } = [];
    public FeatureCodes FeatureCodes { get; set; } = new();
    public ContactCentrePrompts Prompts { get; set; } = new();
    public ClickToDialOptions ClickToDial { get; set; } = new();
    /// <summary>Seeds the random strategies (a replay of the event log needs the same seed).</summary>
    public ulong RandomSeed { get; set; } = 12345;
    /// <summary>Callers who hang up within this many seconds are not listed for call-back (misdials, instant regrets).</summary>
    public int ShortAbandonSeconds { get; set; } = 3;
    /// <summary>Wrong PINs allowed per agent number before logins for it are refused for <see cref="LockoutSeconds"/>.</summary>
    public int MaxPinFailures { get; set; } = 5;
    public int LockoutSeconds { get; set; } = 900;

    public IEnumerable<string> Problems()
    {
        for (int i = 0; i < Queues.Count; i++)
            foreach (var p in Queues[i].Problems($"ContactCentre:Queues:{i}")) yield return p;
        for (int i = 0; i < Agents.Count; i++)
            foreach (var p in Agents[i].Problems($"ContactCentre:Agents:{i}")) yield return p;
        for (int i = 0; i < Rooms.Count; i++)
            foreach (var p in Rooms[i].Problems($"ContactCentre:Rooms:{i}")) yield return p;
        foreach (var p in FeatureCodes.Problems("ContactCentre:FeatureCodes")) yield return p;
        if (ShortAbandonSeconds < 0) yield return "ContactCentre:ShortAbandonSeconds must not be negative";
        if (MaxPinFailures < 1) yield return "ContactCentre:MaxPinFailures must be at least 1";
        var numbers = Queues.Select(q => q.Number).Concat(Rooms.Select(r => r.Number)).GroupBy(n => n).Where(g => g.Count() > 1);
        foreach (var g in numbers) yield return $"ContactCentre: number {g.Key} is used by more than one queue or room";
    }
}

/// <summary>An agent as written in the configuration file, with the PIN in clear (hashed when seeded).</summary>
public sealed class AgentConfig
{
    public string Number { get; set; } = "";
    public string Name { get; set; } = "";
    public string Pin { get; set; } = "";
    public Dictionary<string, int> Skills { get; set; } = [];
    public int? WrapUpSeconds { get; set; }
    public bool Supervisor { get; set; }

    public IEnumerable<string> Problems(string where)
    {
        if (string.IsNullOrWhiteSpace(Number) || !Number.All(char.IsAsciiDigit)) yield return $"{where}:Number '{Number}' must be digits";
        if (!AgentPin.IsValidPin(Pin)) yield return $"{where}:Pin for agent {Number} must be 4 to 12 digits";
        foreach (var (skill, level) in Skills)
        {
            if (level is < 1 or > 10) yield return $"{where}:Skills:{skill} must be between 1 and 10";
        }
    }
}

/// <summary>
/// Codes dialled from a phone (routing sends "*…" to feature destinations). The agent codes may be
/// followed by digits: *81 then the agent number and PIN when asked, or *81&lt;agent&gt; and only the PIN;
/// *83&lt;n&gt; pauses with reason code n; the supervisor codes take the extension whose call to join.
/// </summary>
public sealed class FeatureCodes
{
    public string Login { get; set; } = "*81";
    public string Logout { get; set; } = "*82";
    public string Pause { get; set; } = "*83";
    public string Resume { get; set; } = "*84";
    public string Listen { get; set; } = "*85";
    public string Whisper { get; set; } = "*86";
    public string Barge { get; set; } = "*87";

    public IEnumerable<string> All => [Login, Logout, Pause, Resume, Listen, Whisper, Barge];

    public IEnumerable<string> Problems(string where)
    {
        foreach (var code in All)
        {
            if (code.Length < 2 || code[0] != '*' || !code[1..].All(char.IsAsciiDigit)) yield return $"{where}: code '{code}' must be * and digits";
        }
        var list = All.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            for (int j = 0; j < list.Count; j++)
            {
                // A code that is a prefix of another would swallow it (codes take trailing digits).
                if (i != j && list[j].StartsWith(list[i], StringComparison.Ordinal)) yield return $"{where}: code '{list[i]}' is a prefix of '{list[j]}'";
            }
        }
    }
}

/// <summary>
/// Prompt names (resolved to files by the prompt library, like every other prompt of the switch); numbers
/// are said digit by digit from "digits/0" … "digits/9" as elsewhere (<see cref="Calls.SystemPrompts.Digits"/>).
/// </summary>
public sealed class ContactCentrePrompts
{
    public string YouAreCaller { get; set; } = "queue/you-are-caller";
    public string EstimatedWait { get; set; } = "queue/estimated-wait";
    public string Minutes { get; set; } = "queue/minutes";
    public string LessThanAMinute { get; set; } = "queue/less-than-a-minute";
    public string CallbackOffer { get; set; } = "queue/press-for-callback";
    public string CallbackConfirmed { get; set; } = "queue/callback-confirmed";
    public string CallbackIntro { get; set; } = "queue/callback-intro";
    public string AgentNumber { get; set; } = "agent/enter-number";
    public string AgentPin { get; set; } = "agent/enter-pin";
    public string LoggedIn { get; set; } = "agent/logged-in";
    public string LoggedOut { get; set; } = "agent/logged-out";
    public string Paused { get; set; } = "agent/paused";
    public string Resumed { get; set; } = "agent/resumed";
    public string LoginFailed { get; set; } = "agent/login-failed";
    public string NotAllowed { get; set; } = "agent/not-allowed";
    public string ConferencePin { get; set; } = "conference/enter-pin";
    public string ConferenceBadPin { get; set; } = "conference/bad-pin";
    public string ConferenceFull { get; set; } = "conference/full";
    public string ConferenceWaitForModerator { get; set; } = "conference/wait-for-moderator";

    /// <summary>The prompts that say <paramref name="n"/>, digit by digit.</summary>
    public static IEnumerable<string> Number(long n) => Calls.SystemPrompts.Digits(n.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The words of the default prompts, for the prompt generator to speak the ones nobody has recorded.</summary>
    public IEnumerable<(string Name, string Text)> EnglishTexts() =>
    [
        (YouAreCaller, "You are caller number"),
        (EstimatedWait, "Your estimated waiting time is"),
        (Minutes, "minutes."),
        (LessThanAMinute, "less than a minute."),
        (CallbackOffer, "To be called back without losing your place, press 1 and hang up."),
        (CallbackConfirmed, "Thank you. We will call you back when it is your turn. Goodbye."),
        (CallbackIntro, "Callback. Connecting you to the citizen at number"),
        (AgentNumber, "Please enter your agent number, followed by the pound key."),
        (AgentPin, "Please enter your PIN, followed by the pound key."),
        (LoggedIn, "You are logged in."),
        (LoggedOut, "You are logged out."),
        (Paused, "You are paused."),
        (Resumed, "You are available for calls."),
        (LoginFailed, "Login incorrect."),
        (NotAllowed, "That is not allowed from this phone."),
        (ConferencePin, "Please enter the conference PIN, followed by the pound key."),
        (ConferenceBadPin, "That PIN is not correct."),
        (ConferenceFull, "Sorry, this conference is full."),
        (ConferenceWaitForModerator, "Please wait. The conference will begin when the moderator joins."),
    ];
}

public sealed class ClickToDialOptions
{
    /// <summary>How long the agent's phone rings first.</summary>
    public int AgentRingSeconds { get; set; } = 20;
    /// <summary>How long each customer number rings.</summary>
    public int CustomerRingSeconds { get; set; } = 30;
    /// <summary>Times through the list of numbers before giving up.</summary>
    public int Rounds { get; set; } = 2;
    /// <summary>Pause between rounds (the agent hears music meanwhile).</summary>
    public int RetryDelaySeconds { get; set; } = 30;
}
