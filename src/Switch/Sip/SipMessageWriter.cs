using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Hotline.Switch.Sip;

/// <summary>
/// Serialises a SIP message into a pooled buffer: start line, headers in the order written, then
/// Content-Length and the body. <see cref="ToMessage"/> parses the result, so every message in the
/// switch, received or built, is the same <see cref="SipMessage"/> over its own bytes.
/// </summary>
public sealed class SipMessageWriter : IDisposable
{
    private byte[] _buf;
    private int _pos;
    private bool _hasContentType;

    public SipMessageWriter(int capacity = 1536) => _buf = ArrayPool<byte>.Shared.Rent(capacity);

    public ReadOnlySpan<byte> Written => _buf.AsSpan(0, _pos);

    public static SipMessageWriter Request(SipMethod method, string requestUri) => Request(method.Name(), requestUri);

    public static SipMessageWriter Request(string method, string requestUri)
    {
        var w = new SipMessageWriter();
        w.Append(method).Append(' ').Append(requestUri).Append(" SIP/2.0\r\n");
        return w;
    }

    public static SipMessageWriter Response(int status, string reason)
    {
        var w = new SipMessageWriter();
        w.Append("SIP/2.0 ").Append(status).Append(' ').Append(reason).Append("\r\n");
        return w;
    }

    public SipMessageWriter Header(HeaderId id, string value)
    {
        _hasContentType |= id == HeaderId.ContentType;
        return Append(HeaderNames.CanonicalBytes(id)).Append(": "u8).Append(value).Append("\r\n"u8);
    }

    public SipMessageWriter Header(HeaderId id, long value) =>
        Append(HeaderNames.CanonicalBytes(id)).Append(": "u8).Append(value).Append("\r\n"u8);

    public SipMessageWriter Header(HeaderId id, ReadOnlySpan<byte> raw)
    {
        _hasContentType |= id == HeaderId.ContentType;
        return Append(HeaderNames.CanonicalBytes(id)).Append(": "u8).Append(raw).Append("\r\n"u8);
    }

    public SipMessageWriter Header(string name, string value)
    {
        var id = HeaderNames.Lookup(name);
        return id != HeaderId.Extension ? Header(id, value) : Append(name).Append(": "u8).Append(value).Append("\r\n"u8);
    }

    /// <summary>Copies every value of a header from another message, unchanged (RFC 3261 §8.2.6.2 for responses).</summary>
    public SipMessageWriter CopyHeaders(SipMessage from, HeaderId id)
    {
        foreach (var v in from.Headers(id)) Header(id, from.Span(v));
        return this;
    }

    /// <summary>Ends the headers with Content-Length (always written: it is mandatory over TCP) and appends the body.</summary>
    public SipMessageWriter Body(ReadOnlySpan<byte> body, string? contentType = null)
    {
        if (contentType is not null && !_hasContentType && body.Length > 0) Header(HeaderId.ContentType, contentType);
        Header(HeaderId.ContentLength, body.Length);
        Append("\r\n"u8);
        return Append(body);
    }

    public SipMessageWriter Body(string body, string contentType) => Body(Encoding.UTF8.GetBytes(body), contentType);

    /// <summary>Ends a message without a body.</summary>
    public SipMessageWriter NoBody() => Body(ReadOnlySpan<byte>.Empty);

    /// <summary>Parses what was written into a message that takes over the buffer; the writer is spent.</summary>
    public SipMessage ToMessage()
    {
        var message = SipParser.Parse(Written, out var error);
        Dispose();
        if (message is null || !message.IsValid)
        {
            throw new InvalidOperationException($"built an invalid SIP message: {error ?? message?.ParseError}");
        }
        return message;
    }

    /// <summary>
    /// Parses what was written without insisting that it is well formed: for the 400 that answers a
    /// malformed request, which can only copy the headers the request had.
    /// </summary>
    public SipMessage ToMessageUnchecked()
    {
        var message = SipParser.Parse(Written, out var error);
        Dispose();
        return message ?? throw new InvalidOperationException($"built a message without a start line: {error}");
    }

    public SipMessageWriter Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buf.AsSpan(_pos));
        _pos += bytes.Length;
        return this;
    }

    public SipMessageWriter Append(string text)
    {
        Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        _pos += Encoding.UTF8.GetBytes(text, _buf.AsSpan(_pos));
        return this;
    }

    public SipMessageWriter Append(char c)
    {
        Ensure(1);
        _buf[_pos++] = (byte)c;
        return this;
    }

    public SipMessageWriter Append(long value)
    {
        Ensure(20);
        Utf8Formatter.TryFormat(value, _buf.AsSpan(_pos), out var n);
        _pos += n;
        return this;
    }

    /// <summary>Steps back over the last <paramref name="count"/> bytes written.</summary>
    internal SipMessageWriter Unwrite(int count)
    {
        _pos -= count;
        return this;
    }

    private void Ensure(int extra)
    {
        if (_pos + extra <= _buf.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buf.Length * 2, _pos + extra));
        _buf.AsSpan(0, _pos).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buf);
        _buf = bigger;
    }

    public void Dispose()
    {
        var buf = Interlocked.Exchange(ref _buf, []);
        if (buf.Length > 0) ArrayPool<byte>.Shared.Return(buf);
        _pos = 0;
    }
}
