using System.Buffers;
using System.Text;

namespace Hotline.Switch.Sip;

/// <summary>
/// A parsed SIP request or response over its own pooled copy of the bytes (RFC 3261 §7).
/// Hot headers are parsed into typed fields as ranges of the buffer; everything else stays raw
/// until asked for. <see cref="Dispose"/> returns the buffer to the pool; forgetting it only costs
/// the pool a buffer. A message is immutable once parsed and may be read from any thread.
/// </summary>
public sealed partial class SipMessage : IDisposable
{
    public const int MaxSize = 65536;

    private byte[] _buffer;
    private readonly int _length;
    private InlineHeaders _inline;
    private HeaderEntry[]? _overflow;
    private int _headerCount;
    private string? _callId;

    internal SipMessage(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
        MethodName = RequestUri = ReasonPhrase = CallIdRange = ContentType = Body = ByteRange.None;
        ContentLength = MaxForwards = Expires = -1;
    }

    /// <summary>The message exactly as received (or as built).</summary>
    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, _length);

    public int Length => _length;

    public bool IsRequest { get; internal set; }
    public bool IsResponse => !IsRequest;
    public SipMethod Method { get; internal set; }
    public ByteRange MethodName { get; internal set; }
    public ByteRange RequestUri { get; internal set; }
    public int StatusCode { get; internal set; }
    public ByteRange ReasonPhrase { get; internal set; }

    public ViaHeader TopVia { get; internal set; }
    public int ViaCount { get; internal set; }
    public NameAddrHeader From { get; internal set; }
    public NameAddrHeader To { get; internal set; }
    /// <summary>The first Contact value (parsed); see <see cref="ContactCount"/> and <see cref="NameAddrs"/> for all.</summary>
    public NameAddrHeader Contact { get; internal set; }
    public int ContactCount { get; internal set; }
    public ByteRange CallIdRange { get; internal set; }
    public CSeqHeader CSeq { get; internal set; }
    /// <summary>−1 when absent.</summary>
    public int ContentLength { get; internal set; }
    /// <summary>−1 when absent.</summary>
    public int MaxForwards { get; internal set; }
    /// <summary>Expires header in seconds; −1 when absent.</summary>
    public int Expires { get; internal set; }
    public ByteRange ContentType { get; internal set; }
    public ByteRange Body { get; internal set; }

    /// <summary>Where the message arrived from; null for messages built here.</summary>
    public SipEndPoint? Source { get; internal set; }

    /// <summary>Null when the message is well formed; otherwise what is wrong with it.</summary>
    public string? ParseError { get; internal set; }

    /// <summary>The response a UAS should send for <see cref="ParseError"/> (400, 505, 416 …).</summary>
    public int ParseErrorStatus { get; internal set; }

    public bool IsValid => ParseError is null;

    /// <summary>Records the first thing wrong; later problems don't overwrite it.</summary>
    internal void Fail(string error, int status)
    {
        if (ParseError is not null) return;
        ParseError = error;
        ParseErrorStatus = status;
    }

    /// <summary>
    /// True when a response can reach the sender and be matched by it: the top Via (where to send it,
    /// and the branch) and CSeq (RFC 3261 §17.1.3 matches responses by branch and CSeq method). From, To
    /// and Call-ID are copied when present (§8.2.6.2), so a request missing them still learns why (RFC 4475 §3.3.1).
    /// </summary>
    public bool CanRespond => IsRequest && Method != SipMethod.Ack && TopVia.Value.IsPresent && CSeq.MethodName.IsPresent;

    /// <summary>The method as a string, including extension methods.</summary>
    public string MethodText => Method == SipMethod.Extension ? Text(MethodName) : Method.Name();

    public string CallId => _callId ??= Text(CallIdRange);

    public string RequestUriText => Text(RequestUri);

    public string ReasonText => Text(ReasonPhrase);

    public ReadOnlySpan<byte> Span(ByteRange range) => range.Of(Bytes);

    /// <summary>The bytes of <paramref name="range"/> as text (UTF-8), with folded lines joined by one space.</summary>
    public string Text(ByteRange range) => range.IsPresent ? SipText.Unfold(range.Of(Bytes)) : string.Empty;

    public int HeaderCount => _headerCount;

    public HeaderEntry HeaderAt(int index) => index < InlineHeaders.Capacity ? _inline[index] : _overflow![index - InlineHeaders.Capacity];

    internal void AddHeader(HeaderEntry entry)
    {
        if (_headerCount < InlineHeaders.Capacity)
        {
            _inline[_headerCount++] = entry;
            return;
        }
        var spill = _headerCount - InlineHeaders.Capacity;
        if (_overflow is null || spill == _overflow.Length)
        {
            var bigger = ArrayPool<HeaderEntry>.Shared.Rent(Math.Max(16, spill * 2));
            if (_overflow is not null)
            {
                _overflow.AsSpan().CopyTo(bigger);
                ArrayPool<HeaderEntry>.Shared.Return(_overflow);
            }
            _overflow = bigger;
        }
        _overflow[spill] = entry;
        _headerCount++;
    }

    /// <summary>Values of a known header in order (one per comma-separated element for Via, Contact, Route, Record-Route).</summary>
    public HeaderValues Headers(HeaderId id) => new(this, id, default);

    /// <summary>Values of any header by name (long or compact form, any case).</summary>
    public HeaderValues Headers(string name)
    {
        var id = HeaderNames.Lookup(name);
        return new HeaderValues(this, id, id == HeaderId.Extension ? Encoding.ASCII.GetBytes(name) : default);
    }

    /// <summary>The first value of a header, or <see cref="ByteRange.None"/>.</summary>
    public ByteRange First(HeaderId id)
    {
        foreach (var v in Headers(id)) return v;
        return ByteRange.None;
    }

    /// <summary>The first value of a header as text, or null when absent.</summary>
    public string? GetHeader(HeaderId id)
    {
        var r = First(id);
        return r.IsPresent ? Text(r) : null;
    }

    public string? GetHeader(string name)
    {
        foreach (var v in Headers(name)) return Text(v);
        return null;
    }

    /// <summary>All values of a header joined as one comma-separated list of trimmed elements (Allow, Supported, Require …).</summary>
    public List<string> GetTokens(HeaderId id)
    {
        var list = new List<string>();
        foreach (var v in Headers(id))
        {
            foreach (var part in Text(v).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                list.Add(part);
        }
        return list;
    }

    public bool HasToken(HeaderId id, string token) =>
        GetTokens(id).Exists(t => string.Equals(t, token, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses the n-th Via (0 = top) on demand.</summary>
    public bool TryGetVia(int index, out ViaHeader via)
    {
        var i = 0;
        foreach (var v in Headers(HeaderId.Via))
        {
            if (i++ == index) return ViaHeader.TryParse(Bytes, v, out via, out _);
        }
        via = default;
        return false;
    }

    /// <summary>Parses every value of a name-addr header (Contact, Route, Record-Route …); malformed values are skipped.</summary>
    public List<NameAddrHeader> NameAddrs(HeaderId id)
    {
        var list = new List<NameAddrHeader>();
        foreach (var v in Headers(id))
        {
            if (NameAddrHeader.TryParse(Bytes, v, out var na, out _)) list.Add(na);
        }
        return list;
    }

    /// <summary>The body as a string (UTF-8).</summary>
    public string BodyText => Body.Length > 0 ? Encoding.UTF8.GetString(Span(Body)) : string.Empty;

    public override string ToString() => Encoding.UTF8.GetString(Bytes);

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
        if (_overflow is not null)
        {
            ArrayPool<HeaderEntry>.Shared.Return(_overflow);
            _overflow = null;
        }
    }

    /// <summary>Enumerates the values of one header without allocating.</summary>
    public struct HeaderValues
    {
        private readonly SipMessage _message;
        private readonly HeaderId _id;
        private readonly byte[]? _name;
        private int _index;

        internal HeaderValues(SipMessage message, HeaderId id, byte[]? name)
        {
            _message = message;
            _id = id;
            _name = name;
            _index = -1;
            Current = ByteRange.None;
        }

        public ByteRange Current { get; private set; }

        public readonly HeaderValues GetEnumerator() => this;

        public bool MoveNext()
        {
            while (++_index < _message._headerCount)
            {
                var h = _message.HeaderAt(_index);
                if (h.Id != _id) continue;
                if (_id == HeaderId.Extension && !Ascii.EqualsIgnoreCase(_message.Span(h.Name), _name)) continue;
                Current = h.Value;
                return true;
            }
            return false;
        }

        public int Count()
        {
            var n = 0;
            var copy = new HeaderValues(_message, _id, _name);
            while (copy.MoveNext()) n++;
            return n;
        }
    }
}
