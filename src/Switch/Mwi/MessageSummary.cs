using System.Text;

namespace Hotline.Switch.Mwi;

/// <summary>
/// A mailbox's counts as RFC 3842 carries them: voice messages new and old, and of those the urgent ones.
/// </summary>
public readonly record struct MessageSummary(int New, int Old, int NewUrgent = 0, int OldUrgent = 0)
{
    public const string ContentType = "application/simple-message-summary";
    public const string EventPackage = "message-summary";

    public bool MessagesWaiting => New > 0;

    /// <summary>
    /// The body of a NOTIFY (RFC 3842 §5.2): the status line, the account when known, and the voice-message
    /// summary line "new/old (new-urgent/old-urgent)", each ended by CRLF.
    /// </summary>
    public string ToBody(string? messageAccount)
    {
        var sb = new StringBuilder(96);
        sb.Append("Messages-Waiting: ").Append(MessagesWaiting ? "yes" : "no").Append("\r\n");
        if (messageAccount is not null) sb.Append("Message-Account: ").Append(messageAccount).Append("\r\n");
        sb.Append("Voice-Message: ").Append(New).Append('/').Append(Old)
          .Append(" (").Append(NewUrgent).Append('/').Append(OldUrgent).Append(")\r\n");
        return sb.ToString();
    }
}

/// <summary>Where the notifier learns mailbox counts and who may watch them (the voicemail system).</summary>
public interface IMessageSummarySource
{
    /// <summary>The counts of the mailbox behind <paramref name="account"/> (the Request-URI user); null when there is none.</summary>
    MessageSummary? Summary(string account);

    /// <summary>Whether <paramref name="extension"/> (null: none authenticated) may watch <paramref name="account"/>.</summary>
    bool MaySubscribe(string? extension, string account);

    /// <summary>The extensions whose registered phones get NOTIFYs for <paramref name="account"/> without subscribing.</summary>
    IReadOnlyList<string> UnsolicitedTargets(string account);

    /// <summary>The reverse: the accounts whose unsolicited NOTIFYs go to <paramref name="extension"/>'s phones.</summary>
    IReadOnlyList<string> UnsolicitedAccounts(string extension);
}
