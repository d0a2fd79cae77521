using Hotline.Switch.Sip;
using Hotline.Switch.Store;
using LiteDB;

namespace Hotline.Switch.Registrar;

public sealed class LiteDbBindingRepository : IBindingRepository
{
    private readonly HotlineStore _store;
    private readonly ILiteCollection<BindingDocument> _collection;

    public LiteDbBindingRepository(HotlineStore store)
    {
        _store = store;
        _collection = store.Collection<BindingDocument>("registrations");
    }

    public IReadOnlyList<Binding> LoadAll() => _collection.FindAll().Select(d => d.ToBinding()).ToList();

    public void Apply(IReadOnlyCollection<Binding> upserts, IReadOnlyCollection<string> deletes)
    {
        _store.InTransaction(() =>
        {
            if (upserts.Count > 0) _collection.Upsert(upserts.Select(BindingDocument.From));
            foreach (var key in deletes) _collection.Delete(key);
        });
    }

    private sealed class BindingDocument
    {
        [BsonId] public string Key { get; set; } = "";
        public string Aor { get; set; } = "";
        public string ContactUri { get; set; } = "";
        public string ContactParams { get; set; } = "";
        public string CallId { get; set; } = "";
        public long CSeq { get; set; }
        public long ExpiresAtMs { get; set; }
        public long RegisteredAtMs { get; set; }
        public int Transport { get; set; }
        public string SourceAddress { get; set; } = "";
        public int SourcePort { get; set; }
        public string? UserAgent { get; set; }

        public Binding ToBinding() => new()
        {
            Aor = Aor, ContactUri = ContactUri, ContactParams = ContactParams, CallId = CallId, CSeq = (uint)CSeq,
            ExpiresAtMs = ExpiresAtMs, RegisteredAtMs = RegisteredAtMs, Transport = (SipTransportKind)Transport,
            SourceAddress = SourceAddress, SourcePort = SourcePort, UserAgent = UserAgent,
        };

        public static BindingDocument From(Binding b) => new()
        {
            Key = b.Key, Aor = b.Aor, ContactUri = b.ContactUri, ContactParams = b.ContactParams, CallId = b.CallId, CSeq = b.CSeq,
            ExpiresAtMs = b.ExpiresAtMs, RegisteredAtMs = b.RegisteredAtMs, Transport = (int)b.Transport,
            SourceAddress = b.SourceAddress, SourcePort = b.SourcePort, UserAgent = b.UserAgent,
        };
    }
}
