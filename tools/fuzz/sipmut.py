"""Shared pieces of the SIP fuzzers: message building, mutation, digest answers, receiving."""
import hashlib
import random
import re
import socket
import time

JUNK = ["", " ", "\t", "<>", "<sip:>", "sip:", "@", ";", ";;;", "0", "-1", "4294967296", "99999999999999999999",
        "\x00", "\xff\xfe", "a" * 3000, "%00", "\"unterminated", "<sip:a@b", "sip:[::1", "sip:a@[zz]:99999",
        "tel:+", "1.2.3", "SIP/3.0", "x" * 70000, "=;=", ",", ",,,", "Digest", "\\\\\"", "*", "0x10",
        "sip:1@127.0.0.1;transport=xyz", "sip:1@127.0.0.1:0", "<sip:1@127.0.0.1>;expires=-5", "1 INVITE extra"]

SDP = ["v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1", "t=0 0",
       "m=audio 16000 RTP/AVP 8 0 101", "a=rtpmap:8 PCMA/8000", "a=rtpmap:0 PCMU/8000",
       "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=ptime:20", "a=sendrecv"]

SDP_JUNK = ["m=audio 0 RTP/AVP 8", "m=audio 70000 RTP/AVP 8", "m=audio -1 RTP/AVP", "m=audio 16000 RTP/AVP",
            "m=video 16002 RTP/AVP 96", "m=audio 16000 RTP/SAVP 8", "m=audio 16000/2 RTP/AVP 8", "m=image 16002 udptl t38",
            "c=IN IP6 ::1", "c=IN IP4 999.1.1.1", "c=IN IP4", "c=", "a=rtpmap:8", "a=rtpmap:96 opus/48000/2",
            "a=rtpmap:96 opus/0", "a=rtpmap:9 G722/8000", "m=audio 16000 RTP/AVP 9", "a=rtpmap:98 L16/0", "a=ptime:0",
            "a=ptime:100000", "a=ptime:-20", "a=fmtp:96 maxplaybackrate=0;useinbandfec=x", "a=sendonly", "a=inactive",
            "a=recvonly", "a=rtcp:0", "a=rtcp:16001 IN IP4 127.0.0.1", "a=rtcp-mux", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x",
            "b=AS:-1", "t=-1 -1", "o=", "v=1", "m=audio 16000 RTP/AVP 8 " + " ".join(str(i) for i in range(128)),
            "a=rtpmap:300 PCMA/8000", "a=rtpmap:101 telephone-event/0", "m=audio 16000 RTP/AVP 101",
            "m=audio 16000 RTP/AVP 127", "a=maxptime:0", "a=" + "z" * 2000, ""]

CONTACTS = ["<sip:{u}@127.0.0.1:{p}>", "<sip:{u}@127.0.0.1:{p};transport=udp>", "<sip:{u}@127.0.0.1:{p}?Subject=x&Route=%3Csip:evil%3E>",
            "<sips:{u}@127.0.0.1:{p}>", "<sip:{u}@[::1]:{p}>", "<sip:{u}@127.0.0.1:0>", "<sip:{u}@127.0.0.1:99999>",
            "<sip:{u}@host.invalid>", "<tel:+8613800138000>", "<mailto:a@b>", "\"A\" <sip:{u}@127.0.0.1:{p}>;+sip.instance=\"<urn:x>\"",
            "<sip:%41@127.0.0.1:{p}>", "<sip:{u}@127.0.0.1:{p};lr;maddr=10.0.0.1>", "<\x01ip:{u}@127.0.0.1>", "<sip:a b@127.0.0.1>",
            "sip:{u}@127.0.0.1:{p};expires=1", "<sip:{u}@127.0.0.1:{p}>;expires=2", "<sip:{u}@127.0.0.1:{p}>;q=2.5",
            "<sip:{u}@127.0.0.1:{p}>, <sip:{u}@127.0.0.1:{p}9>", "<sip:x@1.2.3.4:{p}>;expires=abc", "*"]

EXTRA_NAMES = ["Require", "Supported", "Session-Expires", "Min-SE", "RSeq", "RAck", "Replaces", "Refer-To", "Referred-By",
               "Event", "Subscription-State", "Expires", "Allow", "Record-Route", "Route", "P-Asserted-Identity",
               "Diversion", "Privacy", "Reason", "Max-Forwards", "Content-Type", "Content-Encoding", "Accept", "X"]
EXTRA_VALUES = JUNK + ["100rel", "timer", "replaces", "10", "90", "refresher=uac", "uas", "<sip:1002@127.0.0.1>",
                       "sip:1001@127.0.0.1?Replaces=a%3Bto-tag%3Db%3Bfrom-tag%3Dc", "application/sdp",
                       "multipart/mixed;boundary=x", "refer", "active;expires=0", "1 1 INVITE", "SIP;cause=200"]


class Peer:
    """One UDP socket on 127.0.0.1:port talking to the switch, with its own random stream."""

    def __init__(self, port, switch=("127.0.0.1", 5060), seed=1):
        self.switch = switch
        self.rnd = random.Random(seed)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", port))
        self.port = self.sock.getsockname()[1]
        self.sock.settimeout(0.05)

    def branch(self):
        return "z9hG4bK%x" % self.rnd.getrandbits(48)

    def tag(self):
        return "%x" % self.rnd.getrandbits(32)

    def send(self, data):
        self.sock.sendto(data[:65000], self.switch)

    def receive(self, wait):
        out, end = [], time.time() + wait
        while time.time() < end:
            try:
                out.append(self.sock.recvfrom(65535)[0].decode("latin-1"))
            except socket.timeout:
                pass
        return out

    def answer_requests(self, messages, status=200):
        """Answers every request the switch sent us (BYE, NOTIFY, OPTIONS, re-INVITE) with a bare response."""
        for m in messages:
            if m.startswith("SIP/2.0"):
                continue
            keep = [h for h in m.split("\r\n\r\n")[0].split("\r\n")[1:] if re.match(r"^(Via|v|From|f|To|t|Call-ID|i|CSeq):", h, re.I)]
            self.send(("SIP/2.0 %d OK\r\n" % status + "\r\n".join(keep) + "\r\nContent-Length: 0\r\n\r\n").encode("latin-1"))

    def alive(self, tries=2):
        """True when the switch answers an OPTIONS within about `tries` seconds."""
        cid = "alive-%x" % self.rnd.getrandbits(40)
        msg = build("OPTIONS sip:127.0.0.1 SIP/2.0", [("Via", f"SIP/2.0/UDP 127.0.0.1:{self.port};branch={self.branch()};rport"),
                    ("Max-Forwards", "70"), ("From", "<sip:probe@127.0.0.1>;tag=p"), ("To", "<sip:127.0.0.1>"),
                    ("Call-ID", cid), ("CSeq", "1 OPTIONS")])
        for _ in range(tries):
            self.send(msg)
            if any(cid in r and r.startswith("SIP/2.0") for r in self.receive(1.0)):
                return True
        return False

    def mutate_sdp(self, lines=SDP):
        rnd, lines = self.rnd, list(lines)
        for _ in range(rnd.randint(1, 4)):
            op = rnd.random()
            if op < 0.35 and lines:
                lines[rnd.randrange(len(lines))] = rnd.choice(SDP_JUNK)
            elif op < 0.6:
                lines.insert(rnd.randrange(len(lines) + 1), rnd.choice(SDP_JUNK))
            elif op < 0.8 and lines:
                del lines[rnd.randrange(len(lines))]
            else:
                rnd.shuffle(lines)
        return lines

    def mutate_headers(self, headers):
        rnd, hs = self.rnd, list(headers)
        for _ in range(rnd.randint(1, 3)):
            op = rnd.random()
            if op < 0.3 and hs:
                i = rnd.randrange(len(hs))
                hs[i] = (hs[i][0], rnd.choice(JUNK))
            elif op < 0.45 and hs:
                del hs[rnd.randrange(len(hs))]
            elif op < 0.6 and hs:
                hs.insert(rnd.randrange(len(hs) + 1), hs[rnd.randrange(len(hs))])
            elif op < 0.75:
                hs.append((rnd.choice(EXTRA_NAMES), rnd.choice(EXTRA_VALUES)))
            elif hs:
                i = rnd.randrange(len(hs))
                k, v = hs[i]
                if v:
                    j = rnd.randrange(len(v))
                    v = v[:j] + chr(rnd.randrange(256)) + v[j + 1:]
                hs[i] = (k, v)
        return hs

    def flip_bytes(self, data):
        raw = bytearray(data)
        for _ in range(self.rnd.randint(1, 5)):
            raw[self.rnd.randrange(len(raw))] = self.rnd.randrange(256)
        return bytes(raw)


def build(start, headers, body_lines=None, fix_length=True):
    body = ("\r\n".join(body_lines) + "\r\n") if body_lines else ""
    hs = list(headers)
    if fix_length:
        hs.append(("Content-Length", str(len(body.encode("latin-1", "replace")))))
    return (start + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hs) + "\r\n" + body).encode("latin-1", "replace")


def header(message, name, compact):
    m = re.search(rf"^({name}|{compact}):\s*(.*)$", message, re.M | re.I)
    return m.group(2).strip() if m else None


def digest(challenge, method, uri, user, password, cnonce):
    """The Authorization / Proxy-Authorization header answering a 401/407 (MD5, qop=auth), or None."""
    m = re.search(r"^(WWW|Proxy)-Authenticate:\s*Digest\s+(.*)$", challenge, re.M | re.I)
    if not m:
        return None
    p = dict(re.findall(r'(\w+)="?([^",]*)"?', m.group(2)))
    md5 = lambda x: hashlib.md5(x.encode("latin-1")).hexdigest()
    ha1, ha2 = md5(f"{user}:{p['realm']}:{password}"), md5(f"{method}:{uri}")
    response = md5(f"{ha1}:{p['nonce']}:00000001:{cnonce}:auth:{ha2}")
    value = (f'Digest username="{user}", realm="{p["realm"]}", nonce="{p["nonce"]}", uri="{uri}", response="{response}", '
             f'algorithm=MD5, qop=auth, nc=00000001, cnonce="{cnonce}"')
    return ("Proxy-Authorization" if m.group(1).lower() == "proxy" else "Authorization", value)
