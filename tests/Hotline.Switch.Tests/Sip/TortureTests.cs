using System.Text;
using System.Text.Json;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Tests.Sip;

/// <summary>
/// Every message of RFC 4475 §3 and RFC 5118 §4 (byte-exact files in Sip/Torture, described by
/// manifest.json): valid ones parse to the values the RFC's commentary names, invalid ones are
/// refused with the response the RFC expects. Application-level answers (416, 420, 415, 483 …)
/// are checked by the switch core's tests.
/// </summary>
public class TortureTests
{
    private static readonly string s_root = Path.Combine(AppContext.BaseDirectory, "Sip", "Torture");
    private static readonly Dictionary<string, JsonElement> s_manifest = LoadManifest();

    private static Dictionary<string, JsonElement> LoadManifest()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(s_root, "manifest.json")));
        return doc.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("file").GetString()!, e => e.Clone());
    }

    public static TheoryData<string> Files => new(s_manifest.Keys.OrderBy(k => k));

    [Fact]
    public void Corpus_has_every_message_of_both_RFCs()
    {
        Assert.Equal(49, s_manifest.Keys.Count(k => k.StartsWith("rfc4475/")));
        Assert.Equal(12, s_manifest.Keys.Count(k => k.StartsWith("rfc5118/")));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Message_is_handled_as_the_RFC_says(string file)
    {
        var entry = s_manifest[file];
        var bytes = File.ReadAllBytes(Path.Combine(s_root, file));
        using var m = SipParser.Parse(bytes, out var error);
        var valid = entry.GetProperty("valid").GetBoolean();
        var isRequest = entry.GetProperty("kind").GetString() == "request";
        var facts = entry.TryGetProperty("facts", out var f) ? f : default;
        var shortBody = entry.TryGetProperty("contentLengthMismatchExpected", out var mm) && mm.GetBoolean()
                        && facts.ValueKind == JsonValueKind.Object && facts.TryGetProperty("contentLength", out var cl)
                        && cl.ValueKind == JsonValueKind.Number && facts.TryGetProperty("bodyLength", out var bl)
                        && bl.GetInt32() < cl.GetInt32();

        if (shortBody)
        {
            // RFC 5118 errata: the published Content-Length is larger than the body. Over UDP that is a 400 (RFC 3261 §18.3).
            Assert.NotNull(m);
            Assert.False(m!.IsValid);
            Assert.Contains("Content-Length", m.ParseError);
            return;
        }

        if (valid)
        {
            Assert.True(m is not null, $"{file}: {error}");
            Assert.True(m!.IsValid, $"{file}: {m.ParseError}");
            var checkedFacts = CheckFacts(m, facts, file);
            Assert.True(checkedFacts >= 3, $"{file}: only {checkedFacts} facts checked");
            return;
        }

        var acceptable = Acceptable(entry);
        if (!isRequest || acceptable.Count == 0)
        {
            // A broken response is dropped (RFC 4475 §3.1.2.5, §3.1.2.19): unparseable or marked invalid.
            Assert.True(m is null || !m.IsValid, $"{file}: should be refused");
            return;
        }
        Assert.True(m is not null, $"{file}: a request we could answer was dropped: {error}");
        Assert.False(m!.IsValid, $"{file}: accepted a malformed request");
        Assert.Contains(m.ParseErrorStatus, acceptable);
        // Enough must survive to send that response (Via and CSeq; the rest is copied when present).
        Assert.True(m.CanRespond, $"{file}: cannot build the {m.ParseErrorStatus}");
    }

    private static List<int> Acceptable(JsonElement entry)
    {
        var list = new List<int>();
        if (entry.TryGetProperty("acceptableStatuses", out var a) && a.ValueKind == JsonValueKind.Array)
            list.AddRange(a.EnumerateArray().Select(x => x.GetInt32()));
        if (entry.TryGetProperty("expectedStatus", out var s) && s.ValueKind == JsonValueKind.Number) list.Add(s.GetInt32());
        return list;
    }

    private static int CheckFacts(SipMessage m, JsonElement facts, string file)
    {
        if (facts.ValueKind != JsonValueKind.Object) return 0;
        var n = 0;
        foreach (var fact in facts.EnumerateObject())
        {
            if (Check(m, fact.Name, fact.Value, file)) n++;
        }
        return n;
    }

    private static string? Str(JsonElement v) => v.ValueKind == JsonValueKind.Null ? null : v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText();

    private static string DisplayName(SipMessage m, NameAddrHeader na) =>
        !na.DisplayName.IsPresent ? "" : na.DisplayNameQuoted ? SipText.Unquote(m.Span(na.DisplayName)) : m.Text(na.DisplayName);

    private static string? Param(SipMessage m, ByteRange range, string name) =>
        SipParamEnumerator.TryFind(m.Bytes, range, Encoding.ASCII.GetBytes(name), out var v) ? (v.IsPresent ? SipText.ParamValue(m.Span(v)) : null) : "<absent>";

    private static List<ViaHeader> Vias(SipMessage m)
    {
        var list = new List<ViaHeader>();
        for (var i = 0; m.TryGetVia(i, out var v); i++) list.Add(v);
        return list;
    }

    /// <summary>Checks one fact; false when the fact is not one this test knows how to read.</summary>
    private static bool Check(SipMessage m, string name, JsonElement v, string file)
    {
        void Eq(object? expected, object? actual) => Assert.True(Equals(expected, actual), $"{file}: {name} expected <{expected}> got <{actual}>");
        var contacts = m.NameAddrs(HeaderId.Contact);
        switch (name)
        {
            case "method": Eq(Str(v), m.MethodText); return true;
            case "requestUri": Eq(Str(v), m.RequestUriText); return true;
            case "callId": Eq(Str(v), m.CallId); return true;
            case "cseq": Eq((uint)v.GetInt64(), m.CSeq.Number); return true;
            case "cseqMethod": Eq(Str(v), m.Text(m.CSeq.MethodName)); return true;
            case "maxForwards": Eq(v.ValueKind == JsonValueKind.Null ? -1 : v.GetInt32(), m.MaxForwards); return true;
            case "contentLength": Eq(v.ValueKind == JsonValueKind.Null ? -1 : v.GetInt32(), m.ContentLength); return true;
            // Bytes past Content-Length are not part of the message (RFC 3261 §18.3); RFC 5118's errata have such bytes.
            case "bodyLength": Eq(m.ContentLength >= 0 ? Math.Min(v.GetInt32(), m.ContentLength) : v.GetInt32(), m.Body.Length); return true;
            case "viaCount": Eq(v.GetInt32(), m.ViaCount); return true;
            case "statusCode": Eq(v.GetInt32(), m.StatusCode); return true;
            case "reasonPhrase": Eq(Str(v), m.ReasonText); return true;
            case "contentType": Eq(Str(v), m.Text(m.ContentType)); return true;
            case "topViaBranch": Eq(Str(v), m.TopVia.Branch.IsPresent ? m.Text(m.TopVia.Branch) : null); return true;
            case "topViaHost": Eq(Str(v), m.Text(m.TopVia.Host)); return true;
            case "topViaTransport": Eq(Str(v), m.Text(m.TopVia.Transport)); return true;
            case "topViaPort": Eq(v.ValueKind == JsonValueKind.Null ? 0 : v.GetInt32(), m.TopVia.Port); return true;
            case "topViaReceived": Eq(Str(v), m.Text(m.TopVia.Received)); return true;
            case "fromTag": Eq(Str(v), m.From.Tag.IsPresent ? m.Text(m.From.Tag) : null); return true;
            case "toTag": Eq(Str(v), m.To.Tag.IsPresent ? m.Text(m.To.Tag) : null); return true;
            case "fromUri": Eq(Str(v), m.Text(m.From.Uri)); return true;
            case "toUri": Eq(Str(v), m.Text(m.To.Uri)); return true;
            case "fromDisplayName": Eq(Str(v), DisplayName(m, m.From)); return true;
            case "toDisplayName": Eq(Str(v), DisplayName(m, m.To)); return true;
            case "contactCount": Eq(v.GetInt32(), contacts.Count); return true;
            case "contactUri": Eq(Str(v), m.Text(contacts[0].Uri)); return true;
            case "contactUris": Eq(string.Join(" ", v.EnumerateArray().Select(x => x.GetString())), string.Join(" ", contacts.Select(c => m.Text(c.Uri)))); return true;
            case "contactDisplayName": Eq(Str(v), DisplayName(m, contacts[0])); return true;
            case "toParams":
                foreach (var p in v.EnumerateObject()) Eq(Str(p.Value), Param(m, m.To.Parameters, p.Name));
                return true;
            case "contactParams":
                foreach (var p in v.EnumerateObject()) Eq(Str(p.Value), Param(m, contacts[0].Parameters, p.Name));
                return true;
            case "subject": Eq(Str(v), m.GetHeader(HeaderId.Subject)); return true;
            case "routeCount": Eq(v.GetInt32(), m.Headers(HeaderId.Route).Count()); return true;
            case "route": Eq(Str(v), m.GetHeader(HeaderId.Route)); return true;
            case "recordRoute": Eq(Str(v), m.GetHeader(HeaderId.RecordRoute)); return true;
            case "date": Eq(Str(v), m.GetHeader(HeaderId.Date)); return true;
            case "userAgent": Eq(Str(v), m.GetHeader(HeaderId.UserAgent)); return true;
            case "authorization": Eq(Str(v), m.GetHeader(HeaderId.Authorization)); return true;
            case "accept": Eq(string.Join(",", v.EnumerateArray().Select(x => x.GetString())), string.Join(",", m.GetTokens(HeaderId.Accept))); return true;
            case "require": Eq(string.Join(",", v.EnumerateArray().Select(x => x.GetString())), string.Join(",", m.GetTokens(HeaderId.Require))); return true;
            case "proxyRequire": Eq(string.Join(",", v.EnumerateArray().Select(x => x.GetString())), string.Join(",", m.GetTokens(HeaderId.ProxyRequire))); return true;
            case "extensionHeaders":
                foreach (var h in v.EnumerateObject()) Eq(Str(h.Value), m.GetHeader(h.Name));
                return true;
            case "vias":
            {
                var vias = Vias(m);
                var expected = v.EnumerateArray().ToList();
                Eq(expected.Count, vias.Count);
                for (var i = 0; i < expected.Count; i++)
                {
                    if (expected[i].TryGetProperty("transport", out var t)) Eq(Str(t), m.Text(vias[i].Transport));
                    if (expected[i].TryGetProperty("host", out var h)) Eq(Str(h), m.Text(vias[i].Host));
                    if (expected[i].TryGetProperty("branch", out var b)) Eq(Str(b), m.Text(vias[i].Branch));
                    if (expected[i].TryGetProperty("port", out var p) && p.ValueKind == JsonValueKind.Number) Eq(p.GetInt32(), vias[i].Port);
                }
                return true;
            }
            case "viaTransports": Eq(string.Join(",", v.EnumerateArray().Select(x => x.GetString())), string.Join(",", Vias(m).Select(x => m.Text(x.Transport)))); return true;
            case "viaBranches": Eq(string.Join(",", v.EnumerateArray().Select(x => x.GetString())), string.Join(",", Vias(m).Select(x => m.Text(x.Branch)))); return true;
            case "secondViaHost": Eq(Str(v), m.Text(Vias(m)[1].Host)); return true;
            case "secondViaBranch": Eq(Str(v), m.Text(Vias(m)[1].Branch)); return true;
            case "bottomViaHost": Eq(Str(v), m.Text(Vias(m)[^1].Host)); return true;
            case "bottomViaBranch": Eq(Str(v), m.Text(Vias(m)[^1].Branch)); return true;
            case "bottomViaReceived": Eq(Str(v), m.Text(Vias(m)[^1].Received)); return true;
            case "requestUriHost":
            case "requestUriPort":
            case "requestUriUser":
            case "requestUriPassword":
            case "requestUriScheme":
            {
                if (name == "requestUriScheme")
                {
                    Eq(Str(v)!.ToLowerInvariant(), SipUri.SchemeOf(m.Span(m.RequestUri)));
                    return true;
                }
                Assert.True(SipUri.TryParse(m.Span(m.RequestUri), out var uri, out var err), $"{file}: {err}");
                object? actual = name switch
                {
                    "requestUriHost" => uri.Host,
                    "requestUriPort" => uri.Port,
                    "requestUriUser" => uri.User,
                    _ => uri.Password,
                };
                Eq(name == "requestUriPort" ? (v.ValueKind == JsonValueKind.Null ? 0 : v.GetInt32()) : Str(v), actual);
                return true;
            }
            case "contactUriParams":
            {
                Assert.True(SipUri.TryParse(m.Span(contacts[0].Uri), out var uri, out var err), $"{file}: {err}");
                var expected = v.EnumerateObject().ToList();
                Eq(expected.Count, uri.Parameters.Count);
                foreach (var p in expected) Eq(Str(p.Value), uri.GetParameter(p.Name) is { Length: 0 } && p.Value.ValueKind == JsonValueKind.Null ? null : uri.GetParameter(p.Name));
                return true;
            }
            case "contactUriHeaders":
            {
                Assert.True(SipUri.TryParse(m.Span(contacts[0].Uri), out var uri, out var err), $"{file}: {err}");
                foreach (var h in v.EnumerateObject())
                    Eq(Str(h.Value), uri.Headers.Where(x => x.Key == h.Name).Select(x => SipUri.Unescape(x.Value)).FirstOrDefault());
                return true;
            }
            default:
                return false;
        }
    }
}
