namespace Hotline.Ivr.Calls;

/// <summary>
/// The prompts the switch's own features play (voicemail, menus' defaults, follow-me, campaigns), with the
/// words of a first version: <see cref="Prompts.PromptGenerator"/> speaks the missing ones at start-up, and
/// an administrator replaces any of them by upload or by phone.
/// </summary>
public static class SystemPrompts
{
    public const string VoicemailGreeting = "vm-greeting";
    public const string VoicemailBoxFull = "vm-box-full";
    public const string VoicemailThanks = "vm-thanks";
    public const string VoicemailEnterMailbox = "vm-enter-mailbox";
    public const string VoicemailEnterPin = "vm-enter-pin";
    public const string VoicemailLoginIncorrect = "vm-login-incorrect";
    public const string VoicemailYouHave = "vm-you-have";
    public const string VoicemailNewMessages = "vm-new-messages";
    public const string VoicemailOldMessages = "vm-old-messages";
    public const string VoicemailMessageFrom = "vm-message-from";
    public const string VoicemailMessageMenu = "vm-message-menu";
    public const string VoicemailDeleted = "vm-deleted";
    public const string VoicemailSaved = "vm-saved";
    public const string VoicemailNoMoreMessages = "vm-no-more-messages";
    public const string Goodbye = "goodbye";
    public const string InvalidEntry = "invalid-entry";
    public const string FollowMeAccept = "followme-accept";
    public const string CampaignConfirm = "campaign-confirm";
    public const string CampaignThanks = "campaign-thanks";
    public const string PromptEnterCode = "prompt-enter-code";
    public const string PromptRecordAfterTone = "prompt-record-after-tone";
    public const string PromptReviewMenu = "prompt-review-menu";
    public const string PromptSaved = "prompt-saved";
    public const string BlacklistNotice = "blacklist-notice";

    /// <summary>"digits/0" … "digits/9", "digits/star", "digits/pound": numbers are read out digit by digit.</summary>
    public static string Digit(char d) => d switch
    {
        '*' => "digits/star",
        '#' => "digits/pound",
        _ => "digits/" + d,
    };

    public static IEnumerable<string> Digits(string number) => number.Where(c => char.IsAsciiDigit(c) || c is '*' or '#').Select(Digit);

    public static IReadOnlyDictionary<string, string> EnglishTexts { get; } = new Dictionary<string, string>
    {
        [VoicemailGreeting] = "The person you are calling is not available. Please leave a message after the tone, and press the pound key or hang up when you are done.",
        [VoicemailBoxFull] = "Sorry, this mailbox is full and cannot take messages.",
        [VoicemailThanks] = "Your message has been recorded. Thank you.",
        [VoicemailEnterMailbox] = "Please enter the mailbox number, followed by the pound key.",
        [VoicemailEnterPin] = "Please enter your password, followed by the pound key.",
        [VoicemailLoginIncorrect] = "Login incorrect.",
        [VoicemailYouHave] = "You have",
        [VoicemailNewMessages] = "new messages, and",
        [VoicemailOldMessages] = "saved messages.",
        [VoicemailMessageFrom] = "Message from",
        [VoicemailMessageMenu] = "Press 1 to listen again, 7 to delete, 9 to save, the pound key for the next message, or star to finish.",
        [VoicemailDeleted] = "Message deleted.",
        [VoicemailSaved] = "Message saved.",
        [VoicemailNoMoreMessages] = "You have no more messages.",
        [Goodbye] = "Goodbye.",
        [InvalidEntry] = "That is not a valid choice.",
        [FollowMeAccept] = "You have a call from the hotline. Press 1 to accept it.",
        [CampaignConfirm] = "To confirm that you have heard this message, press 1.",
        [CampaignThanks] = "Thank you. Goodbye.",
        [PromptEnterCode] = "Please enter the number of the prompt to record, followed by the pound key.",
        [PromptRecordAfterTone] = "Record the prompt after the tone, and press the pound key when you are done.",
        [PromptReviewMenu] = "Press 1 to keep this recording, 2 to record it again, or 3 to hear it.",
        [PromptSaved] = "The prompt has been saved.",
        [BlacklistNotice] = "Your calls to this number have been restricted. Goodbye.",
        ["digits/0"] = "zero", ["digits/1"] = "one", ["digits/2"] = "two", ["digits/3"] = "three", ["digits/4"] = "four",
        ["digits/5"] = "five", ["digits/6"] = "six", ["digits/7"] = "seven", ["digits/8"] = "eight", ["digits/9"] = "nine",
        ["digits/star"] = "star", ["digits/pound"] = "pound",
    };
}
