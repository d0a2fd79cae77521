using Hotline.Switch.Mwi;

namespace Hotline.Ivr;

/// <summary>Configuration section "Ivr".</summary>
public sealed class IvrOptions
{
    /// <summary>Folders under the data directory.</summary>
    public string PromptsFolder { get; set; } = "prompts";
    public string VoicemailFolder { get; set; } = "voicemail";
    /// <summary>Folders of shipped prompts, used for names the data folder lacks.</summary>
    public List<string> PromptFallbacks { get; set; } = [];
    /// <summary>Speak missing system and seeded prompts with espeak-ng at start-up.</summary>
    public bool GeneratePrompts { get; set; } = true;
    public string PromptVoice { get; set; } = "en-us";
    /// <summary>Feature codes: own voicemail, any mailbox, recording a prompt by phone.</summary>
    public string VoicemailCode { get; set; } = "*97";
    public string VoicemailAnyCode { get; set; } = "*98";
    public string PromptRecordCode { get; set; } = "*78";
    /// <summary>Extensions allowed to record prompts by phone, and the PIN they must key in (none: no PIN asked).</summary>
    public List<string> PromptRecorders { get; set; } = [];
    public string? PromptPin { get; set; }
    /// <summary>IVR bundles (flows, schedules, calendars, hotlines, mailboxes, blacklist, follow-me, prompts) put into the store at start.</summary>
    public List<string> SeedFiles { get; set; } = [];
    public MwiOptions Mwi { get; set; } = new();
    public double CampaignPumpMilliseconds { get; set; } = 100;

    public void Validate()
    {
        foreach (var code in new[] { VoicemailCode, VoicemailAnyCode, PromptRecordCode })
        {
            if (code.Length < 2 || code[0] != '*' || !code[1..].All(char.IsAsciiDigit))
                throw new InvalidOperationException($"Ivr: feature code '{code}' must be * followed by digits");
        }
        if (CampaignPumpMilliseconds is < 10 or > 5000) throw new InvalidOperationException("Ivr:CampaignPumpMilliseconds must be from 10 to 5000");
        Mwi.Validate();
    }
}
