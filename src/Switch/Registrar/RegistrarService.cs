using System.Globalization;
using System.Net;
using System.Text;
using Hotline.Switch.Core;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Registrar;

/// <summary>
/// The registrar (RFC 3261 §10.3): authenticates the REGISTER, checks that the credentials belong to
/// the AOR in To, applies the contacts to the binding table and answers with every current binding.
/// </summary>
public sealed class RegistrarService : IRequestHandler
{
    private readonly SwitchCore _core;
    private readonly BindingTable _table;
    private readonly RegistrarOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HashSet<IPAddress> _trustedProxies;

    public RegistrarService(SwitchCore core, BindingTable table, RegistrarOptions options, TimeProvider time, ILogger logger)
    {
        _core = core;
        _table = table;
        _options = options;
        _time = time;
        _logger = logger;
        _trustedProxies = options.TrustedProxies.Select(IPAddress.Parse).ToHashSet();
    }

    /// <summary>Longest Contact URI bound (a phone's is under 100 bytes; see the store's key limit).</summary>
    public const int MaxContactBytes = 512;

    public void Handle(ServerTransaction tx, Accounts.Extension? caller)
    {
        var request = tx.Request;
        // §10.3 step 5: the AOR must be a SIP or SIPS URI (RFC 4475 §3.3.4).
        if (!SipUri.TryParse(request.Span(request.To.Uri), out var to, out _) || !to.IsSip || to.User is null)
        {
            _core.Respond(tx, 400, "To must be a SIP or SIPS address of record");
            return;
        }
        var aor = to.UserUnescaped!;
        if (!_trustedProxies.Contains(request.Source!.EndPoint.Address))
        {
            if (!_core.Authenticate(tx, out var extension)) return;
            // §10.3 step 4: the authenticated user may only change its own bindings. Same 403 as a wrong password.
            if (extension is not null && extension.Number != aor)
            {
                _core.Respond(tx, 403);
                return;
            }
        }
        if (!TryReadContacts(tx, out var wildcard, out var contacts)) return;
        var source = request.Source!;
        var update = new RegisterUpdate(request.CallId, request.CSeq.Number, wildcard, contacts, source.Transport,
            source.EndPoint.Address.ToString(), source.EndPoint.Port, source.ConnectionId, request.GetHeader(HeaderId.UserAgent));
        if (!_table.Apply(aor, update, out var current))
        {
            _core.Respond(tx, 500, "Out-of-order REGISTER", extra: w => w.Header(HeaderId.RetryAfter, "1"));
            return;
        }
        if (contacts.Count > 0 || wildcard)
            _logger.LogDebug("REGISTER {Aor} from {Source}: {Count} bindings", aor, source, current.Count);
        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        _core.Respond(tx, 200, extra: w =>
        {
            foreach (var b in current) w.Header(HeaderId.Contact, $"<{b.ContactUri}>{b.ContactParams};expires={b.ExpiresIn(nowMs)}");
            w.Header(HeaderId.Date, _time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture));
        });
    }

    /// <summary>Reads Contacts and their expiry (§10.3 steps 6–7); answers 400 or 423 itself when they are unacceptable.</summary>
    private bool TryReadContacts(ServerTransaction tx, out bool wildcard, out List<ContactUpdate> contacts)
    {
        var request = tx.Request;
        contacts = [];
        wildcard = false;
        var values = request.NameAddrs(HeaderId.Contact);
        if (values.Any(c => c.IsWildcard))
        {
            // "*" only with Expires: 0 and as the only Contact.
            if (values.Count != 1 || request.Expires != 0)
            {
                _core.Respond(tx, 400, "Contact * needs Expires: 0 and no other Contact");
                return false;
            }
            wildcard = true;
            return true;
        }
        var buf = request.Bytes;
        foreach (var c in values)
        {
            // Only a SIP or SIPS URI can be called or qualified; anything else would be stored and then fail
            // every request built to it (RFC 3261 §10.3 step 6 lets a registrar refuse what it cannot use).
            if (!SipUri.TryParse(request.Span(c.Uri), out var contactUri, out _) || !contactUri.IsSip)
            {
                _core.Respond(tx, 400, "Contact must be a SIP or SIPS URI");
                return false;
            }
            // The binding's key in the store is AOR|Contact, and LiteDB refuses keys of 1 KB or more.
            if (c.Uri.Length > MaxContactBytes)
            {
                _core.Respond(tx, 400, $"Contact URI longer than {MaxContactBytes} bytes");
                return false;
            }
            var expires = request.Expires >= 0 ? request.Expires : _options.DefaultExpires;
            var keep = new StringBuilder();
            var e = new SipParamEnumerator(buf, c.Parameters);
            while (e.MoveNext())
            {
                var name = e.Name.Of(buf);
                if (Ascii.EqualsIgnoreCase(name, "expires"u8))
                {
                    // A non-numeric expires is ignored (RFC 3261 §20.10 says delta-seconds; old phones send dates).
                    if (SipNumber.TryParseUInt(e.Value.Of(buf), out var v)) expires = (int)Math.Min(v, int.MaxValue);
                    continue;
                }
                keep.Append(';').Append(Encoding.UTF8.GetString(name));
                if (e.Value.IsPresent) keep.Append('=').Append(Encoding.UTF8.GetString(e.Value.Of(buf)));
            }
            if (expires > 0 && expires < _options.MinExpires)
            {
                _core.Respond(tx, 423, extra: w => w.Header(HeaderId.MinExpires, _options.MinExpires));
                return false;
            }
            contacts.Add(new ContactUpdate(request.Text(c.Uri), keep.ToString(), Math.Min(expires, _options.MaxExpires)));
        }
        return true;
    }
}
