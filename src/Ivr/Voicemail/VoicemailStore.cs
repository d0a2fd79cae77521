using Hotline.Switch.Store;
using LiteDB;

namespace Hotline.Ivr.Voicemail;

/// <summary>The message index in the store, by mailbox; the audio is in files under the data directory.</summary>
internal sealed class VoicemailStore
{
    static VoicemailStore() => Storage.LiteDbMappers.Warm<MessageDocument>();

    private readonly ILiteCollection<MessageDocument> _messages;

    public VoicemailStore(HotlineStore store)
    {
        _messages = store.Collection<MessageDocument>("ivr_voicemail");
        _messages.EnsureIndex(m => m.Mailbox);
    }

    public IReadOnlyList<VoicemailMessage> List(string mailbox) =>
        _messages.Find(m => m.Mailbox == mailbox).Select(d => d.ToMessage()).OrderBy(m => m.Received).ThenBy(m => m.Id, StringComparer.Ordinal).ToList();

    public VoicemailMessage? Get(string id) => _messages.FindById(id)?.ToMessage();

    public void Save(VoicemailMessage message) => _messages.Upsert(MessageDocument.From(message));

    public bool Delete(string id) => _messages.Delete(id);

    public (int New, int Old, int NewUrgent, int OldUrgent) Count(string mailbox)
    {
        int n = 0, o = 0, nu = 0, ou = 0;
        foreach (var m in _messages.Find(m => m.Mailbox == mailbox))
        {
            if (m.Read) { o++; if (m.Urgent) ou++; }
            else { n++; if (m.Urgent) nu++; }
        }
        return (n, o, nu, ou);
    }

    private sealed class MessageDocument
    {
        [BsonId] public string Id { get; set; } = "";
        public string Mailbox { get; set; } = "";
        public string Caller { get; set; } = "";
        public string? CallerName { get; set; }
        public string Dialled { get; set; } = "";
        public string CallId { get; set; } = "";
        public long ReceivedMs { get; set; }
        public long DurationMs { get; set; }
        public string File { get; set; } = "";
        public bool Read { get; set; }
        public bool Saved { get; set; }
        public bool Urgent { get; set; }

        public VoicemailMessage ToMessage() => new()
        {
            Id = Id, Mailbox = Mailbox, Caller = Caller ?? "", CallerName = CallerName, Dialled = Dialled ?? "", CallId = CallId ?? "",
            Received = DateTimeOffset.FromUnixTimeMilliseconds(ReceivedMs), Duration = TimeSpan.FromMilliseconds(DurationMs),
            File = File ?? "", Read = Read, Saved = Saved, Urgent = Urgent,
        };

        public static MessageDocument From(VoicemailMessage m) => new()
        {
            Id = m.Id, Mailbox = m.Mailbox, Caller = m.Caller, CallerName = m.CallerName, Dialled = m.Dialled, CallId = m.CallId,
            ReceivedMs = m.Received.ToUnixTimeMilliseconds(), DurationMs = (long)m.Duration.TotalMilliseconds, File = m.File,
            Read = m.Read, Saved = m.Saved, Urgent = m.Urgent,
        };
    }
}
