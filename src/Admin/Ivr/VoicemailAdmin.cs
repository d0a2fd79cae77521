using Hotline.Admin.Audit;
using Hotline.Admin.Services;
using Hotline.Ivr;
using Hotline.Ivr.Voicemail;

namespace Hotline.Admin.Ivr;

/// <summary>A mailbox as the panel and the API show it: never the PIN's hash, with its message counts.</summary>
public sealed record MailboxView(string Id, string Name, bool HasPin, IReadOnlyList<string> Extensions, bool UnsolicitedMwi, string? Greeting,
    int MaxMessages, int MaxMessageSeconds, double MinMessageSeconds, string Source, int New, int Old);

/// <summary>Create or change a mailbox; a null or empty PIN keeps the current one (a new mailbox needs one).</summary>
public sealed record MailboxInput(string? Id, string? Name, string? Pin, IReadOnlyList<string>? Extensions, bool UnsolicitedMwi = false, string? Greeting = null,
    int MaxMessages = 100, int MaxMessageSeconds = 180, double MinMessageSeconds = 1);

/// <summary>A message as listed: who called, when, how long, heard or not.</summary>
public sealed record MessageView(string Id, string Mailbox, string Caller, string? CallerName, string Dialled, DateTimeOffset Received, double Seconds, bool Read, bool Saved, bool Urgent);

/// <summary>
/// Voicemail through the panel and the API: mailboxes (PINs hashed; a PIN change is audited as "changed"),
/// their messages (listed, played and downloaded, marked read — which puts the phones' message-waiting lamp out
/// when none is left new — and deleted). Every change is audited.
/// </summary>
public sealed class VoicemailAdmin(IvrServices ivr, AuditLog audit)
{
    private VoicemailService Voicemail => ivr.Voicemail;

    public IReadOnlyList<MailboxView> Mailboxes() => Voicemail.Mailboxes().Select(View).ToList();

    public MailboxView? Mailbox(string id) => Voicemail.GetMailbox(id) is { } m ? View(m) : null;

    public Outcome<MailboxView> Save(MailboxInput input, string? id, Actor actor)
    {
        var boxId = id ?? input.Id?.Trim() ?? "";
        var existing = Voicemail.GetMailbox(boxId);
        if (id is null && existing is not null) return Outcome<MailboxView>.Invalid("id", $"mailbox '{boxId}' already exists");
        if (id is not null && existing is null) return Outcome<MailboxView>.NotFound();
        var pin = string.IsNullOrEmpty(input.Pin) ? null : input.Pin;
        if (existing is null && pin is null) return Outcome<MailboxView>.Invalid("pin", "is needed for a new mailbox (4 to 12 digits)");
        var wanted = new Mailbox
        {
            Id = boxId, Name = input.Name?.Trim() ?? "", Extensions = (input.Extensions ?? []).Select(e => e.Trim()).Where(e => e.Length > 0).Distinct().ToList(),
            UnsolicitedMwi = input.UnsolicitedMwi, Greeting = string.IsNullOrWhiteSpace(input.Greeting) ? null : input.Greeting.Trim(),
            MaxMessages = input.MaxMessages, MaxMessageSeconds = input.MaxMessageSeconds, MinMessageSeconds = input.MinMessageSeconds, Source = "admin",
        };
        Mailbox stored;
        try
        {
            stored = Voicemail.SaveMailbox(wanted, pin);
        }
        catch (IvrValidationException e)
        {
            return Outcome<MailboxView>.Invalid(IvrProblems.Parse(e.Problems));
        }
        var after = Snapshot(stored);
        if (pin is not null) after["Pin"] = AuditLog.Masked;
        audit.Write(actor.Name, existing is null ? "mailbox.create" : "mailbox.update", boxId,
            AuditLog.Diff(existing is null ? new Dictionary<string, string?>() : Snapshot(existing), after), actor.Address);
        return View(stored);
    }

    public Outcome<MailboxView> Delete(string id, Actor actor)
    {
        var existing = Voicemail.GetMailbox(id);
        if (existing is null) return Outcome<MailboxView>.NotFound();
        var users = ivr.Hotlines.List().Where(h => h.Mailbox == id || HotlineAdmin.Periods(h).Any(p => p.Destination is { Kind: Hotline.Ivr.Hotlines.DestinationKind.Voicemail } d && d.Value == id))
            .Select(h => $"hotline {h.Id}").ToList();
        if (users.Count > 0) return Outcome<MailboxView>.Invalid("id", $"mailbox '{id}' is still used by {string.Join(", ", users)}");
        var view = View(existing);
        Voicemail.DeleteMailbox(id);
        audit.Write(actor.Name, "mailbox.delete", id, AuditLog.Diff(Snapshot(existing), new Dictionary<string, string?>()), actor.Address);
        return view;
    }

    public IReadOnlyList<MessageView>? Messages(string mailbox) =>
        Voicemail.MailboxExists(mailbox) ? Voicemail.List(mailbox).OrderByDescending(m => m.Received).Select(View).ToList() : null;

    /// <summary>The message's WAV, for playback and download; null when the message or its file is gone.</summary>
    public string? AudioPath(string mailbox, string id) =>
        Voicemail.Get(mailbox, id) is { } m && Voicemail.FilePath(m) is var path && File.Exists(path) ? path : null;

    public Outcome<MessageView> MarkRead(string mailbox, string id, bool read, Actor actor)
    {
        var before = Voicemail.Get(mailbox, id);
        if (before is null) return Outcome<MessageView>.NotFound();
        var after = Voicemail.MarkRead(mailbox, id, read)!;
        if (before.Read != after.Read)
        {
            audit.Write(actor.Name, read ? "voicemail.read" : "voicemail.unread", $"{mailbox}/{id}",
                [new AuditChange { Field = "Read", Old = before.Read ? "true" : "false", New = after.Read ? "true" : "false" }], actor.Address);
        }
        return View(after);
    }

    public Outcome<MessageView> DeleteMessage(string mailbox, string id, Actor actor)
    {
        var before = Voicemail.Get(mailbox, id);
        if (before is null) return Outcome<MessageView>.NotFound();
        Voicemail.Delete(mailbox, id);
        audit.Write(actor.Name, "voicemail.delete", $"{mailbox}/{id}",
            [new AuditChange { Field = "Caller", Old = before.Caller }, new AuditChange { Field = "Received", Old = before.Received.ToString("O") }], actor.Address);
        return View(before);
    }

    private MailboxView View(Mailbox m)
    {
        var s = Voicemail.Summary(m);
        return new MailboxView(m.Id, m.Name, m.HasPin, m.Extensions, m.UnsolicitedMwi, m.Greeting, m.MaxMessages, m.MaxMessageSeconds, m.MinMessageSeconds, m.Source,
            s.New, s.Old);
    }

    private static MessageView View(VoicemailMessage m) =>
        new(m.Id, m.Mailbox, m.Caller, m.CallerName, m.Dialled, m.Received, Math.Round(m.Duration.TotalSeconds, 1), m.Read, m.Saved, m.Urgent);

    private static Dictionary<string, string?> Snapshot(Mailbox m) => AuditSnapshot.Of(m, Hotline.Ivr.Storage.IvrJson.Options, "pinHash", "pinSalt");
}
