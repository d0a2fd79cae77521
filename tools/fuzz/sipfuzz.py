#!/usr/bin/env python3
"""Mutation fuzzers for the demo switch (samples/demo: trunk "pstn" trusted from 127.0.0.1:5080, extensions
1001/1002 with passwords hotline1001/hotline1002, DID 12345 to the IVR). Each mode prints what it did and
exits 1 if the switch stopped answering OPTIONS. See README.md here.

  sipfuzz.py trunk SECONDS SEED      mutated calls to the IVR from the trunk's address, in-dialog requests
  sipfuzz.py flood SECONDS SEED PORT mutated datagrams of every method as fast as they go (5080: as the trunk)
  sipfuzz.py extension SECONDS SEED  extension 1001: REGISTER/SUBSCRIBE/INVITE with mutated Contact, SDP, headers
  sipfuzz.py callee SECONDS SEED     registers 1002 and answers calls with mutated 1xx/2xx/error responses
  sipfuzz.py tcp SECONDS SEED        mutated, truncated and garbage frames over TCP connections
  sipfuzz.py rtp SECONDS SEED        calls to the IVR whose media port gets garbage RTP, RFC 4733 and RTCP
"""
import re
import socket
import sys
import time

from sipmut import CONTACTS, SDP, Peer, build, digest, header

TRUNK_PORT, FLOOD_PORT, EXTENSION_PORT, CALLEE_PORT = 5080, 5079, 5077, 5078


def trunk(seconds, seed):
    peer = Peer(TRUNK_PORT, seed=seed)
    rnd, stats, t0, n = peer.rnd, {"calls": 0, "answered": 0, "sent": 0}, time.time(), 0
    while time.time() - t0 < seconds:
        n += 1
        cid, ftag = "fz-%d-%x@127.0.0.1" % (seed, rnd.getrandbits(40)), peer.tag()
        did = rnd.choice(["12345", "12345", "12345", "1001", "999", "+8612345", "*97"])
        hs = [("Via", f"SIP/2.0/UDP 127.0.0.1:{TRUNK_PORT};branch={peer.branch()};rport"), ("Max-Forwards", "70"),
              ("From", f"<sip:13800138000@127.0.0.1:{TRUNK_PORT}>;tag={ftag}"), ("To", f"<sip:{did}@127.0.0.1>"),
              ("Call-ID", cid), ("CSeq", "1 INVITE"), ("Contact", f"<sip:13800138000@127.0.0.1:{TRUNK_PORT}>"),
              ("Content-Type", "application/sdp"), ("Supported", "timer, 100rel, replaces")]
        sdp = SDP
        if rnd.random() < 0.4:
            sdp = peer.mutate_sdp()
        elif rnd.random() < 0.5:
            hs = peer.mutate_headers(hs)
        ruri = "sip:12345@127.0.0.1" if rnd.random() < 0.9 else rnd.choice(["x", "sip:", "<sip:12345@127.0.0.1>", "tel:+"])
        peer.send(build(f"INVITE {ruri} SIP/2.0", hs, sdp if rnd.random() < 0.95 else None, fix_length=rnd.random() < 0.95))
        stats["calls"] += 1
        stats["sent"] += 1
        responses = peer.receive(0.4)
        ok = [r for r in responses if r.startswith("SIP/2.0 200") and cid in r]
        if ok:
            stats["answered"] += 1
            to = header(ok[0], "To", "t")
            dialog = [("From", f"<sip:13800138000@127.0.0.1:{TRUNK_PORT}>;tag={ftag}"), ("To", to), ("Call-ID", cid)]
            peer.send(build("ACK sip:12345@127.0.0.1 SIP/2.0", [("Via", f"SIP/2.0/UDP 127.0.0.1:{TRUNK_PORT};branch={peer.branch()}"),
                                                                ("Max-Forwards", "70")] + dialog + [("CSeq", "1 ACK")]))
            cseq = 2
            for _ in range(rnd.randint(1, 4)):
                method = rnd.choice(["INVITE", "UPDATE", "INFO", "REFER", "NOTIFY", "OPTIONS", "MESSAGE", "PRACK", "SUBSCRIBE", "BYE", "CANCEL", "ACK"])
                dh = [("Via", f"SIP/2.0/UDP 127.0.0.1:{TRUNK_PORT};branch={peer.branch()};rport"), ("Max-Forwards", "70")] + dialog + \
                     [("CSeq", f"{cseq} {method}"), ("Contact", rnd.choice(CONTACTS).format(u="13800138000", p=TRUNK_PORT))]
                body = None
                if method in ("INVITE", "UPDATE"):
                    dh.append(("Content-Type", "application/sdp"))
                    body = peer.mutate_sdp() if rnd.random() < 0.7 else SDP
                elif method == "INFO":
                    dh.append(("Content-Type", rnd.choice(["application/dtmf-relay", "application/dtmf", "text/plain"])))
                    body = [rnd.choice(["Signal=5", "Signal=", "Signal=#\r\nDuration=-1", "Signal=" + "9" * 500, "5", "Duration=100"])]
                elif method == "REFER":
                    dh.append(("Refer-To", rnd.choice(["<sip:1001@127.0.0.1>", "<sip:9999@127.0.0.1>", "<sip:1002@127.0.0.1?Replaces=x%3Bto-tag%3Dy%3Bfrom-tag%3Dz>", "", "<>", "sip:"])))
                elif method == "NOTIFY":
                    dh += [("Event", rnd.choice(["refer", "talk", "hold", "message-summary", ""])),
                           ("Subscription-State", rnd.choice(["active", "terminated;reason=noresource", ""])), ("Content-Type", "message/sipfrag")]
                    body = [rnd.choice(["SIP/2.0 200 OK", "SIP/2.0", "garbage"])]
                if rnd.random() < 0.5:
                    dh = peer.mutate_headers(dh)
                peer.send(build(f"{method} sip:12345@127.0.0.1 SIP/2.0", dh, body))
                stats["sent"] += 1
                cseq += rnd.choice([1, 1, 1, 0, -1, 1000])
                peer.answer_requests(peer.receive(0.15))
            peer.send(build("BYE sip:12345@127.0.0.1 SIP/2.0", [("Via", f"SIP/2.0/UDP 127.0.0.1:{TRUNK_PORT};branch={peer.branch()}"),
                                                                ("Max-Forwards", "70")] + dialog + [("CSeq", f"{cseq + 5} BYE")]))
            peer.answer_requests(peer.receive(0.05))
        elif rnd.random() < 0.3:
            peer.send(build("CANCEL sip:12345@127.0.0.1 SIP/2.0", [hs[0] if hs and hs[0][0] == "Via" else ("Via", "SIP/2.0/UDP 127.0.0.1:5080;branch=x"),
                            ("Max-Forwards", "70"), ("From", f"<sip:13800138000@127.0.0.1:{TRUNK_PORT}>;tag={ftag}"),
                            ("To", "<sip:12345@127.0.0.1>"), ("Call-ID", cid), ("CSeq", "1 CANCEL")]))
        if n % 25 == 0 and not peer.alive():
            return stats, False
    return stats, peer.alive()


def flood(seconds, seed, port):
    peer = Peer(port, seed=seed)
    rnd, sent, t0 = peer.rnd, 0, time.time()
    methods = ["INVITE", "REGISTER", "SUBSCRIBE", "NOTIFY", "MESSAGE", "OPTIONS", "BYE", "CANCEL", "ACK", "REFER", "INFO", "UPDATE", "PRACK", "PUBLISH", "FOO"]
    while time.time() - t0 < seconds:
        m = rnd.choice(methods)
        hs = [("Via", f"SIP/2.0/UDP 127.0.0.1:{port};branch={peer.branch()};rport"), ("Max-Forwards", "70"),
              ("From", f"<sip:{rnd.choice(['1001', '13800138000', 'x'])}@127.0.0.1>;tag={peer.tag()}"),
              ("To", f"<sip:{rnd.choice(['12345', '1001', '1002', '*97', '9' + '1' * 11])}@127.0.0.1>" + (f";tag={peer.tag()}" if rnd.random() < 0.3 else "")),
              ("Call-ID", f"fl{rnd.getrandbits(20)}"), ("CSeq", f"{rnd.randint(0, 5)} {m}"), ("Contact", rnd.choice(CONTACTS).format(u="x", p=port)),
              ("Expires", str(rnd.choice([0, 60, 3600, -1]))), ("Event", rnd.choice(["message-summary", "dialog", "presence", "refer", "x"]))]
        body = SDP if m in ("INVITE", "UPDATE") else None
        if body:
            hs.append(("Content-Type", "application/sdp"))
        if rnd.random() < 0.5:
            hs = peer.mutate_headers(hs)
        if body and rnd.random() < 0.5:
            body = peer.mutate_sdp(body)
        raw = build(f"{m} sip:{rnd.choice(['12345', '1001', 'x'])}@127.0.0.1 SIP/2.0", hs, body)
        if rnd.random() < 0.3:
            raw = peer.flip_bytes(raw)
        if rnd.random() < 0.1:
            raw = raw[:rnd.randrange(len(raw))]
        peer.send(raw)
        sent += 1
        if sent % 200 == 0:
            peer.receive(0)
    # The switch works off what is still queued in its socket before it can answer.
    return {"sent": sent}, peer.alive(tries=15)


def answer_challenge(peer, user, password, method, uri, hs, body, wait):
    """Sends a request; answers a 401/407 once (ACKing a challenged INVITE). Returns (responses, headers sent last)."""
    peer.send(build(f"{method} {uri} SIP/2.0", hs, body))
    responses = peer.receive(wait)
    peer.answer_requests(responses)
    challenge = next((r for r in responses if re.match(r"SIP/2.0 40[17]", r)), None)
    if challenge is None:
        return responses, hs
    number = int(hs[5][1].split()[0])
    if method == "INVITE":
        peer.send(build(f"ACK {uri} SIP/2.0", [hs[0], ("Max-Forwards", "70"), hs[2], ("To", header(challenge, "To", "t")), hs[4], ("CSeq", f"{number} ACK")]))
    auth = digest(challenge, method, uri, user, password, peer.tag())
    if auth is None:
        return responses, hs
    hs = [("Via", f"SIP/2.0/UDP 127.0.0.1:{peer.port};branch={peer.branch()};rport")] + hs[1:5] + [("CSeq", f"{number + 1} {method}")] + hs[6:] + [auth]
    peer.send(build(f"{method} {uri} SIP/2.0", hs, body))
    responses = peer.receive(wait)
    peer.answer_requests(responses)
    return responses, hs


def extension(seconds, seed, targets=("1002", "12345", "1003", "*97", "*98", "9013800138000", "1001", "8001")):
    peer = Peer(EXTENSION_PORT, seed=seed)
    rnd, t0, n = peer.rnd, time.time(), 0
    stats = {"register": 0, "registered": 0, "subscribe": 0, "subscribed": 0, "invite": 0, "answered": 0}
    sdp_extra = ["m=audio 17000 RTP/AVP 96", "a=rtpmap:96 opus/48000/2", "a=rtpmap:9 G722/8000", "m=audio 17000 RTP/AVP 9", "a=sendonly", "a=ptime:30"]
    while time.time() - t0 < seconds:
        n += 1
        cid, ftag = "af-%d-%x@127.0.0.1" % (seed, rnd.getrandbits(40)), peer.tag()
        kind = rnd.choice(["REGISTER", "SUBSCRIBE", "INVITE", "INVITE"])
        contact = rnd.choice(CONTACTS).format(u="1001", p=EXTENSION_PORT)
        base = [("Via", f"SIP/2.0/UDP 127.0.0.1:{EXTENSION_PORT};branch={peer.branch()};rport"), ("Max-Forwards", "70"), ("From", f"<sip:1001@127.0.0.1>;tag={ftag}")]
        if kind == "REGISTER":
            hs = base + [("To", "<sip:1001@127.0.0.1>"), ("Call-ID", cid), ("CSeq", "1 REGISTER"), ("Contact", contact), ("Expires", str(rnd.choice([0, 5, 60, 120, 3600])))]
            responses, _ = answer_challenge(peer, "1001", "hotline1001", "REGISTER", "sip:127.0.0.1", hs, None, 0.25)
            stats["register"] += 1
            stats["registered"] += any(r.startswith("SIP/2.0 200") for r in responses)
        elif kind == "SUBSCRIBE":
            hs = base + [("To", f"<sip:{rnd.choice(['1001', '1002', '8001'])}@127.0.0.1>"), ("Call-ID", cid), ("CSeq", "1 SUBSCRIBE"),
                         ("Contact", contact), ("Event", "message-summary"), ("Expires", str(rnd.choice([0, 1, 2, 60, 3600])))]
            responses, _ = answer_challenge(peer, "1001", "hotline1001", "SUBSCRIBE", "sip:1001@127.0.0.1", hs, None, 0.25)
            stats["subscribe"] += 1
            stats["subscribed"] += any(r.startswith("SIP/2.0 200") for r in responses)
        else:
            target = rnd.choice(targets)
            sdp = list(SDP)
            for _ in range(rnd.randint(0, 3)):
                sdp[rnd.randrange(len(sdp))] = rnd.choice(sdp_extra)
            if rnd.random() < 0.3:
                sdp = peer.mutate_sdp(sdp)
            hs = base + [("To", f"<sip:{target}@127.0.0.1>"), ("Call-ID", cid), ("CSeq", "1 INVITE"), ("Contact", contact),
                         ("Content-Type", "application/sdp"), ("Supported", rnd.choice(["timer, 100rel, replaces", "", "100rel"]))]
            if rnd.random() < 0.3:
                hs.append(("Session-Expires", rnd.choice(["90", "1800;refresher=uac", "0", "99999999"])))
            if rnd.random() < 0.2:
                hs.append(("Require", "100rel"))
            uri = f"sip:{target}@127.0.0.1"
            responses, sent = answer_challenge(peer, "1001", "hotline1001", "INVITE", uri, hs, sdp, 0.4)
            stats["invite"] += 1
            number = int(sent[5][1].split()[0])
            ok = [r for r in responses if r.startswith("SIP/2.0 200") and cid in r]
            final = [r for r in responses if re.match(r"SIP/2.0 [3-6]", r) and cid in r and "INVITE" in r]
            if final and not ok:
                peer.send(build(f"ACK {uri} SIP/2.0", [sent[0], ("Max-Forwards", "70"), sent[2], ("To", header(final[-1], "To", "t")), ("Call-ID", cid), ("CSeq", f"{number} ACK")]))
            if not ok and not final and rnd.random() < 0.5:
                peer.send(build(f"CANCEL {uri} SIP/2.0", [sent[0], ("Max-Forwards", "70"), sent[2], ("To", f"<sip:{target}@127.0.0.1>"), ("Call-ID", cid), ("CSeq", f"{number} CANCEL")]))
                peer.answer_requests(peer.receive(0.1))
            if ok:
                stats["answered"] += 1
                to = header(ok[0], "To", "t")
                dialog = [("Max-Forwards", "70"), sent[2], ("To", to), ("Call-ID", cid)]
                peer.send(build(f"ACK {uri} SIP/2.0", [("Via", f"SIP/2.0/UDP 127.0.0.1:{EXTENSION_PORT};branch={peer.branch()}")] + dialog + [("CSeq", f"{number} ACK")]))
                for _ in range(rnd.randint(0, 3)):
                    number += 1
                    m = rnd.choice(["INVITE", "UPDATE", "INFO", "REFER", "OPTIONS"])
                    dh = [("Via", f"SIP/2.0/UDP 127.0.0.1:{EXTENSION_PORT};branch={peer.branch()};rport")] + dialog + \
                         [("CSeq", f"{number} {m}"), ("Contact", rnd.choice(CONTACTS).format(u="1001", p=EXTENSION_PORT))]
                    body = None
                    if m in ("INVITE", "UPDATE"):
                        dh.append(("Content-Type", "application/sdp"))
                        body = peer.mutate_sdp() if rnd.random() < 0.3 else SDP
                    elif m == "REFER":
                        dh.append(("Refer-To", rnd.choice(["<sip:1002@127.0.0.1>", "<sip:12345@127.0.0.1>", "<sip:1003@127.0.0.1?Replaces=a%3Bto-tag%3Db%3Bfrom-tag%3Dc>", "<tel:+86123>", "<\x01ip:x>"])))
                    elif m == "INFO":
                        dh.append(("Content-Type", "application/dtmf-relay"))
                        body = [f"Signal={rnd.choice('0123456789*#AX')}", "Duration=160"]
                    peer.send(build(f"{m} {uri} SIP/2.0", dh, body))
                    answers = peer.receive(0.15)
                    peer.answer_requests(answers)
                    if any(r.startswith("SIP/2.0 200") and f"{number} INVITE" in r for r in answers):
                        peer.send(build(f"ACK {uri} SIP/2.0", [("Via", f"SIP/2.0/UDP 127.0.0.1:{EXTENSION_PORT};branch={peer.branch()}")] + dialog + [("CSeq", f"{number} ACK")]))
                if rnd.random() < 0.8:
                    peer.send(build(f"BYE {uri} SIP/2.0", [("Via", f"SIP/2.0/UDP 127.0.0.1:{EXTENSION_PORT};branch={peer.branch()}")] + dialog + [("CSeq", f"{number + 1} BYE")]))
                    peer.answer_requests(peer.receive(0.05))
        if n % 20 == 0 and not peer.alive():
            return stats, False
    peer.answer_requests(peer.receive(0.5))
    return stats, peer.alive()


def callee(seconds, seed):
    peer = Peer(CALLEE_PORT, seed=seed)
    rnd = peer.rnd
    hs = [("Via", f"SIP/2.0/UDP 127.0.0.1:{CALLEE_PORT};branch={peer.branch()};rport"), ("Max-Forwards", "70"), ("From", "<sip:1002@127.0.0.1>;tag=r1"),
          ("To", "<sip:1002@127.0.0.1>"), ("Call-ID", f"reg1002-{seed}@fuzz"), ("CSeq", "1 REGISTER"), ("Contact", f"<sip:1002@127.0.0.1:{CALLEE_PORT}>"), ("Expires", "3600")]
    responses, _ = answer_challenge(peer, "1002", "hotline1002", "REGISTER", "sip:127.0.0.1", hs, None, 0.5)
    if not any(r.startswith("SIP/2.0 200") for r in responses):
        return {"registered": False}, peer.alive()
    contacts = [c.format(u="1002", p=CALLEE_PORT) for c in ["<sip:{u}@127.0.0.1:{p}>", "<sip:{u}@127.0.0.1:{p}?Subject=x>", "<\x01ip:{u}@127.0.0.1>",
                                                              "<tel:+8612>", "<sip:{u}@[::1]:{p}>", "<sips:{u}@127.0.0.1:{p}>", "<sip:{u}@127.0.0.1:0>"]]

    def respond(request, code, to_tag=None, body=None, extra=()):
        lines = []
        for h in request.split("\r\n\r\n")[0].split("\r\n")[1:]:
            if not re.match(r"^(Via|v|From|f|To|t|Call-ID|i|CSeq|Record-Route):", h, re.I):
                continue
            if to_tag and re.match(r"^(To|t):", h, re.I) and "tag=" not in h:
                h += f";tag={to_tag}"
            lines.append(h)
        lines += list(extra)
        text = ("\r\n".join(body) + "\r\n") if body else ""
        if body:
            lines.append("Content-Type: application/sdp")
        peer.send((f"SIP/2.0 {code} X\r\n" + "\r\n".join(lines) + f"\r\nContent-Length: {len(text.encode('latin-1'))}\r\n\r\n" + text).encode("latin-1", "replace"))

    stats, t0 = {"registered": True, "invites": 0, "answered": 0, "other": 0}, time.time()
    sdp = ["v=0", "o=- 2 2 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1", "t=0 0", "m=audio 19000 RTP/AVP 8 101", "a=rtpmap:8 PCMA/8000", "a=rtpmap:101 telephone-event/8000", "a=sendrecv"]
    while time.time() - t0 < seconds:
        for request in peer.receive(0.05):
            if request.startswith("SIP/2.0"):
                continue
            method = request.split(" ", 1)[0]
            if method == "INVITE" and "tag=" not in (header(request, "To", "t") or ""):
                stats["invites"] += 1
                tag = peer.tag()
                respond(request, 100)
                for _ in range(rnd.randint(0, 2)):
                    code = rnd.choice([180, 183, 181])
                    extra = [f"Contact: {rnd.choice(contacts)}"]
                    if rnd.random() < 0.3:
                        extra += ["Require: 100rel", f"RSeq: {rnd.choice(['1', '0', '-1', 'x', '4294967295'])}"]
                    respond(request, code, tag if rnd.random() < 0.9 else None, peer.mutate_sdp(sdp) if code == 183 or rnd.random() < 0.3 else None, extra)
                fate = rnd.random()
                if fate < 0.6:
                    respond(request, 200, tag if rnd.random() < 0.95 else None, peer.mutate_sdp(sdp) if rnd.random() < 0.5 else sdp,
                            [f"Contact: {rnd.choice(contacts)}"] + (["Session-Expires: " + rnd.choice(["90;refresher=uas", "30", "x"])] if rnd.random() < 0.2 else []))
                    stats["answered"] += 1
                elif fate < 0.9:
                    respond(request, rnd.choice([486, 480, 404, 603, 500, 503, 488, 302, 401, 407, 422, 699, 600]), tag, None,
                            [rnd.choice(["Contact: <sip:1003@127.0.0.1>", "Min-SE: 9999", "WWW-Authenticate: Digest realm=\"x\", nonce=\"y\"", "Retry-After: 5", "X: y"])])
                # else: no final answer at all, for the switch's timers
            elif method == "ACK":
                if rnd.random() < 0.2:  # the callee hangs up
                    peer.send(build("BYE sip:hotline@127.0.0.1:5060 SIP/2.0", [("Via", f"SIP/2.0/UDP 127.0.0.1:{CALLEE_PORT};branch={peer.branch()};rport"),
                                    ("Max-Forwards", "70"), ("From", header(request, "To", "t")), ("To", header(request, "From", "f")),
                                    ("Call-ID", header(request, "Call-ID", "i")), ("CSeq", f"{rnd.randint(1, 10)} BYE")]))
            else:
                stats["other"] += 1
                respond(request, rnd.choice([200, 200, 200, 481, 491, 500]), None, peer.mutate_sdp(sdp) if method in ("INVITE", "UPDATE") and rnd.random() < 0.8 else None)
    return stats, peer.alive()


def rtp(seconds, seed):
    """Calls the IVR from the trunk's address and sends the switch's media port garbage: random datagrams, RTP
    headers with odd versions, CSRC counts, padding, extensions and payload types, RFC 4733 events with odd
    values, RTCP compounds with wrong lengths, from the latched port and from others."""
    peer = Peer(TRUNK_PORT, seed=seed)
    rnd, stats, t0 = peer.rnd, {"calls": 0, "answered": 0, "datagrams": 0}, time.time()
    media = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(2)]
    for m in media:
        m.bind(("127.0.0.1", 0))
    while time.time() - t0 < seconds:
        cid, ftag = "rtp-%d-%x@127.0.0.1" % (seed, rnd.getrandbits(40)), peer.tag()
        port = media[0].getsockname()[1]
        sdp = ["v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1", "t=0 0", f"m=audio {port} RTP/AVP {rnd.choice(['8 101', '0 101', '9 101', '96 101'])}",
               "a=rtpmap:8 PCMA/8000", "a=rtpmap:9 G722/8000", "a=rtpmap:96 opus/48000/2", "a=rtpmap:101 telephone-event/8000", "a=sendrecv"]
        dialog = [("From", f"<sip:13800138000@127.0.0.1:{TRUNK_PORT}>;tag={ftag}"), ("Call-ID", cid)]
        peer.send(build("INVITE sip:12345@127.0.0.1 SIP/2.0", [("Via", f"SIP/2.0/UDP 127.0.0.1:{TRUNK_PORT};branch={peer.branch()};rport"), ("Max-Forwards", "70"),
                        dialog[0], ("To", "<sip:12345@127.0.0.1>"), dialog[1], ("CSeq", "1 INVITE"), ("Contact", f"<sip:13800138000@127.0.0.1:{TRUNK_PORT}>"),
                        ("Content-Type", "application/sdp")], sdp))
        stats["calls"] += 1
        ok = [r for r in peer.receive(0.5) if r.startswith("SIP/2.0 200") and cid in r]
        target = re.search(r"^m=audio (\d+)", ok[0], re.M) if ok else None
        if not target:
            continue
        stats["answered"] += 1
        to = header(ok[0], "To", "t")
        peer.send(build("ACK sip:12345@127.0.0.1 SIP/2.0", [("Via", f"SIP/2.0/UDP 127.0.0.1:{TRUNK_PORT};branch={peer.branch()}"), ("Max-Forwards", "70"),
                        dialog[0], ("To", to), dialog[1], ("CSeq", "1 ACK")]))
        dest = ("127.0.0.1", int(target.group(1)))
        seq, ts, ssrc = rnd.getrandbits(16), rnd.getrandbits(32), rnd.getrandbits(32)
        for _ in range(rnd.randint(50, 400)):
            kind = rnd.random()
            if kind < 0.15:
                packet = bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 1500)))
            elif kind < 0.7:
                first = rnd.choice([0x80, 0x80, 0x80, 0xA0, 0x90, 0x8F, 0x40, 0xBF])  # padding, extension, 15 CSRCs, version 1
                pt = rnd.choice([8, 8, 0, 9, 96, 101, 101, 13, 127, 200 & 0x7F]) | (0x80 if rnd.random() < 0.1 else 0)
                seq = (seq + rnd.choice([1, 1, 1, 0, -1, 100, 30000])) & 0xFFFF
                ts = (ts + rnd.choice([160, 160, 0, -160, 2**31])) & 0xFFFFFFFF
                header_bytes = bytes([first, pt]) + seq.to_bytes(2, "big") + ts.to_bytes(4, "big") + ssrc.to_bytes(4, "big")
                if pt & 0x7F == 101:
                    payload = bytes([rnd.choice([1, 5, 11, 16, 255]), rnd.choice([0x0A, 0x8A, 0xFF]), *rnd.getrandbits(16).to_bytes(2, "big")])
                else:
                    payload = bytes(rnd.randrange(256) for _ in range(rnd.choice([0, 1, 80, 160, 161, 320, 1400])))
                if first & 0x20 and payload:
                    payload = payload[:-1] + bytes([rnd.choice([0, 1, 255, min(len(payload), 255)])])
                packet = (header_bytes + payload)[:rnd.choice([2, 11, 12, 13, 4000])]
            else:
                pt = rnd.choice([200, 201, 202, 203, 204])
                length = rnd.choice([0, 1, 6, 0xFFFF])
                packet = bytes([0x80 | rnd.randrange(32), pt]) + length.to_bytes(2, "big") + bytes(rnd.randrange(256) for _ in range(rnd.choice([0, 4, 24, 60])))
            sender = media[0] if rnd.random() < 0.9 else media[1]
            rtcp = (dest[0], dest[1] + 1) if rnd.random() < 0.2 else dest
            sender.sendto(packet, rtcp)
            stats["datagrams"] += 1
            if rnd.random() < 0.05:
                time.sleep(0.02)
        peer.send(build("BYE sip:12345@127.0.0.1 SIP/2.0", [("Via", f"SIP/2.0/UDP 127.0.0.1:{TRUNK_PORT};branch={peer.branch()}"), ("Max-Forwards", "70"),
                        dialog[0], ("To", to), dialog[1], ("CSeq", "2 BYE")]))
        peer.answer_requests(peer.receive(0.1))
    return stats, peer.alive()


def tcp(seconds, seed):
    peer = Peer(0, seed=seed)  # its UDP socket is only for the liveness check
    rnd, conns, sent, closed, t0 = peer.rnd, 0, 0, 0, time.time()
    template = ("INVITE sip:12345@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK{b}\r\nMax-Forwards: 70\r\n"
                "From: <sip:1001@127.0.0.1>;tag={t}\r\nTo: <sip:12345@127.0.0.1>\r\nCall-ID: tcp{b}\r\nCSeq: 1 INVITE\r\n"
                "Contact: <sip:1001@127.0.0.1:5999;transport=tcp>\r\nContent-Type: application/sdp\r\nContent-Length: {cl}\r\n\r\n")
    body = "\r\n".join(SDP) + "\r\n"
    while time.time() - t0 < seconds:
        try:
            c = socket.create_connection(("127.0.0.1", 5060), timeout=1)
        except OSError:
            time.sleep(0.1)
            continue
        conns += 1
        try:
            for _ in range(rnd.randint(1, 20)):
                cl = rnd.choice([len(body), len(body), 0, len(body) + 10, -1, 99999999, len(body) - 5])
                msg = (template.format(b=rnd.getrandbits(40), t=rnd.getrandbits(20), cl=cl) + body).encode()
                op = rnd.random()
                if op < 0.2:
                    msg = peer.flip_bytes(msg)
                elif op < 0.3:
                    msg = msg[:rnd.randrange(len(msg))]
                elif op < 0.4:
                    msg = b"\r\n" * rnd.randint(1, 50) + msg
                elif op < 0.45:
                    msg = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 3000)))
                elif op < 0.5:
                    msg = msg.replace(b"Content-Length", b"l")
                c.sendall(msg)
                sent += 1
            c.settimeout(0.05)
            while c.recv(65536):
                pass
        except OSError:
            closed += 1  # the switch closed a connection whose framing it could not follow
        finally:
            c.close()
    return {"connections": conns, "sent": sent, "closed_by_switch": closed}, peer.alive()


if __name__ == "__main__":
    mode, secs, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    if mode == "flood":
        result, ok = flood(secs, seed, int(sys.argv[4]) if len(sys.argv) > 4 else FLOOD_PORT)
    elif mode == "extension" and len(sys.argv) > 4:
        result, ok = extension(secs, seed, sys.argv[4].split(","))
    else:
        result, ok = {"trunk": trunk, "extension": extension, "callee": callee, "tcp": tcp, "rtp": rtp}[mode](secs, seed)
    print(mode, result, "switch answers OPTIONS" if ok else "SWITCH DOES NOT ANSWER", flush=True)
    sys.exit(0 if ok else 1)
