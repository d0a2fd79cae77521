using Hotline.Ivr.Prompts;
using Hotline.Ivr.Storage;
using Hotline.Switch.Mwi;
using Hotline.Switch.Store;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.Voicemail;

/// <summary>Who left a message: what the call knew about the caller.</summary>
public sealed record MessageOrigin(string Caller, string? CallerName, string Dialled, string CallId);

/// <summary>
/// Mailboxes and their messages, for calls (leaving and hearing messages), the REST API (list, download,
/// mark read, delete) and the message-waiting notifier, which it tells of every change through
/// <see cref="MailboxChanged"/>. Files live under <c>data/voicemail/&lt;box&gt;/</c>, named by time and caller.
/// </summary>
public sealed class VoicemailService : IMessageSummarySource
{
    private readonly JsonCollection<Mailbox> _boxes;
    private readonly VoicemailStore _messages;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _dataDirectory;
    private readonly string _folder;

    public VoicemailService(HotlineStore store, TimeProvider time, ILogger logger, string folder = "voicemail")
    {
        _boxes = new JsonCollection<Mailbox>(store, "ivr_mailboxes");
        _messages = new VoicemailStore(store);
        _time = time;
        _logger = logger;
        _dataDirectory = store.DataDirectory;
        _folder = folder;
    }

    /// <summary>Raised with the mailbox id after any change to its messages (for MWI NOTIFYs).</summary>
    public event Action<string>? MailboxChanged;

    public IReadOnlyList<Mailbox> Mailboxes() => _boxes.All();

    public Mailbox? GetMailbox(string id) => _boxes.Find(id);

    public bool MailboxExists(string id) => _boxes.Find(id) is not null;

    /// <summary>Adds or replaces a mailbox; a new <paramref name="pin"/> replaces the old one, null keeps it.</summary>
    public Mailbox SaveMailbox(Mailbox mailbox, string? pin = null)
    {
        var problems = mailbox.Problems().ToList();
        if (pin is not null && Mailbox.PinProblem(pin) is { } p) problems.Add(p);
        IvrValidationException.ThrowIfAny(problems);
        var existing = _boxes.Find(mailbox.Id);
        var stored = pin is not null ? mailbox.WithPin(pin)
            : existing is not null && !mailbox.HasPin ? mailbox with { PinHash = existing.PinHash, PinSalt = existing.PinSalt } : mailbox;
        _boxes.Save(stored.Id, stored);
        return stored;
    }

    /// <summary>Removes a mailbox with its messages and their files.</summary>
    public bool DeleteMailbox(string id)
    {
        foreach (var m in _messages.List(id)) DeleteFile(m);
        foreach (var m in _messages.List(id)) _messages.Delete(m.Id);
        var removed = _boxes.Delete(id);
        if (removed) Raise(id);
        return removed;
    }

    public IReadOnlyList<VoicemailMessage> List(string mailbox) => _messages.List(mailbox);

    public VoicemailMessage? Get(string mailbox, string id) => _messages.Get(id) is { } m && m.Mailbox == mailbox ? m : null;

    /// <summary>The absolute path of a message's WAV (for download and playback).</summary>
    public string FilePath(VoicemailMessage message) => Path.Combine(_dataDirectory, message.File);

    public MessageSummary Summary(Mailbox mailbox)
    {
        var (n, o, nu, ou) = _messages.Count(mailbox.Id);
        return new MessageSummary(n, o, nu, ou);
    }

    /// <summary>Where a new message for <paramref name="mailbox"/> from <paramref name="caller"/> is recorded.</summary>
    public string NewRecordingPath(string mailbox, string caller)
    {
        var safeCaller = new string(caller.Where(c => char.IsAsciiLetterOrDigit(c) || c == '+').Take(32).ToArray());
        var name = $"{_time.GetUtcNow():yyyyMMdd-HHmmss}-{(safeCaller.Length == 0 ? "anonymous" : safeCaller)}-{Guid.NewGuid().ToString("N")[..8]}.wav";
        var dir = Path.Combine(_dataDirectory, _folder, mailbox);
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    /// <summary>
    /// Files a recording as a new message, or deletes it when it is too short to be one (a caller who hung up
    /// at the beep). Returns the message, or null when nothing was kept.
    /// </summary>
    public VoicemailMessage? Deposit(string mailbox, MessageOrigin origin, string recordingPath, TimeSpan? recorded = null)
    {
        var box = _boxes.Find(mailbox);
        var info = File.Exists(recordingPath) ? WavInfo.TryRead(recordingPath, out _) : null;
        var duration = info?.Duration ?? recorded ?? TimeSpan.Zero;
        if (box is null || info is null || duration.TotalSeconds < box.MinMessageSeconds)
        {
            if (File.Exists(recordingPath)) File.Delete(recordingPath);
            _logger.LogInformation("voicemail for {Mailbox} from {Caller} not kept ({Seconds:0.0} s)", mailbox, origin.Caller, duration.TotalSeconds);
            return null;
        }
        var message = new VoicemailMessage
        {
            Id = Guid.NewGuid().ToString("N"), Mailbox = mailbox, Caller = origin.Caller, CallerName = origin.CallerName, Dialled = origin.Dialled,
            CallId = origin.CallId, Received = _time.GetUtcNow(), Duration = duration, File = Path.GetRelativePath(_dataDirectory, recordingPath),
        };
        _messages.Save(message);
        _logger.LogInformation("voicemail for {Mailbox} from {Caller}: {Seconds:0.0} s in {File}", mailbox, origin.Caller, duration.TotalSeconds, message.File);
        Raise(mailbox);
        return message;
    }

    public bool IsFull(Mailbox box) => _messages.List(box.Id).Count >= box.MaxMessages;

    /// <summary>Marks a message heard (or new again); the message-waiting lamp follows.</summary>
    public VoicemailMessage? MarkRead(string mailbox, string id, bool read = true) => Update(mailbox, id, m => m with { Read = read });

    /// <summary>Keeps a message: heard and saved.</summary>
    public VoicemailMessage? Save(string mailbox, string id) => Update(mailbox, id, m => m with { Read = true, Saved = true });

    public bool Delete(string mailbox, string id)
    {
        var message = Get(mailbox, id);
        if (message is null) return false;
        _messages.Delete(id);
        DeleteFile(message);
        Raise(mailbox);
        return true;
    }

    private VoicemailMessage? Update(string mailbox, string id, Func<VoicemailMessage, VoicemailMessage> change)
    {
        var message = Get(mailbox, id);
        if (message is null) return null;
        var updated = change(message);
        if (updated == message) return message;
        _messages.Save(updated);
        Raise(mailbox);
        return updated;
    }

    private void DeleteFile(VoicemailMessage message)
    {
        var path = FilePath(message);
        if (File.Exists(path)) File.Delete(path);
    }

    private void Raise(string mailbox)
    {
        try
        {
            MailboxChanged?.Invoke(mailbox);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "message-waiting update for {Mailbox} failed", mailbox);
        }
    }

    MessageSummary? IMessageSummarySource.Summary(string account) => _boxes.Find(account) is { } box ? Summary(box) : null;

    /// <summary>An extension may watch its own box and the boxes that list it; nobody else (no extension: no box).</summary>
    public bool MaySubscribe(string? extension, string account)
    {
        if (extension is null) return false;
        if (extension == account) return true;
        return _boxes.Find(account)?.Extensions.Contains(extension) == true;
    }

    public IReadOnlyList<string> UnsolicitedTargets(string account)
    {
        var box = _boxes.Find(account);
        if (box is not { UnsolicitedMwi: true }) return [];
        return box.Extensions.Count > 0 ? box.Extensions : [box.Id];
    }

    public IReadOnlyList<string> UnsolicitedAccounts(string extension) =>
        _boxes.All().Where(b => b.UnsolicitedMwi && (b.Extensions.Count > 0 ? b.Extensions.Contains(extension) : b.Id == extension)).Select(b => b.Id).ToList();
}
