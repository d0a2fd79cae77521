#!/usr/bin/env python3
"""Sanity checks for the SIP torture-test corpus (RFC 4475 section 3, RFC 5118 section 4).

Checks, for every manifest entry:
  * the file exists and its SHA-256 / size match the manifest;
  * line endings: every line terminator is CRLF (no bare CR or LF) in the whole
    file, or -- for entries whose body is binary (lineEndings == "headers") --
    in the start line and header section;
  * whether the message ends its header section with an empty line, and that
    this agrees with the manifest;
  * the body length (octets after the first CRLFCRLF) against Content-Length.
    Valid messages must agree unless the manifest marks the mismatch as
    expected (contentLengthMismatchExpected), e.g. dblreq's trailing noise.

For the 13 RFC 4475 section 3.1.1 messages it also compares against SHA-256
digests of the RFC's Appendix B archive members as published by an independent
decode of that archive.

Usage: python3 check_corpus.py            (exit status 1 on any failure)
"""
import hashlib
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))

# SHA-256 of the RFC 4475 archive members, as published alongside an
# independent decode of the archive (section 3.1.1 messages only).
ARCHIVE_SHA256 = {
    "wsinv": "d6f6cdee99cd0a1f8e3d9a0fdd67c877700e19ab86d8186dada06f61260e3e61",
    "intmeth": "b957a8292c1c0a9851fe94705b90f94320738f43aacde64998e401f742ef688d",
    "esc01": "be3a316d4ce5f69cad474646191e390dd4b50fc8371e44b5197fe1237781973e",
    "escnull": "263fe2ecd12a5ccbb6c67b3174e9211d11da9b600e7d69666a86d2ee42873e90",
    "esc02": "9a9c59449f00327b02071feafc8e5c2a261c98c818044167894cc17809a12199",
    "lwsdisp": "d1b36b6316c12824f6f04bf6b1fd1f021cade9b74871693b9c3474cd9fa7f4e6",
    "longreq": "185739292bc676760e5b1cca77c87705aa570240171c506ad76f8c35af0ecdaa",
    "dblreq": "a6be48426565c2a705389c4ce2ea17e57b891cb13f80490a2cb9392c797b46ef",
    "semiuri": "87bbaed6b4b354dbd3c5c7a20e66686303c63e43a0aa19b89de1ac75231611a2",
    "transports": "33b4553a3b9418121b099ff07882535151edd6a1e81898c63a916aad2cbf90bc",
    "mpart01": "92147c8e24997bac59629e1b163767697d0d6d499af87f89e325d69968bec3ba",
    "unreason": "4f939d6ebf4817eea70f011d3209e83732872ffc20ffd304b244084dc392f4d7",
    "noreason": "07e11e470a69fffa3674de805e5165d1351a9439a91045ee70c9570ea24ab4fe",
}

CL_NAME = re.compile(rb"^(content-length|l)[ \t]*:[ \t]*(.*)$", re.IGNORECASE)


def bare_terminators(data: bytes) -> int:
    """Number of CR or LF octets that are not part of a CRLF pair."""
    return data.count(b"\n") + data.count(b"\r") - 2 * data.count(b"\r\n")


def content_lengths(head: bytes):
    values = []
    for line in re.split(rb"\r\n(?![ \t])", head)[1:]:
        m = CL_NAME.match(line)
        if m:
            values.append(m.group(2).strip().decode("latin-1"))
    return values


def main() -> int:
    with open(os.path.join(HERE, "manifest.json"), encoding="utf-8") as fh:
        manifest = json.load(fh)

    failures = []
    per_section = Counter()
    print(f"{'file':42} {'valid':5} {'CL':>6} {'body':>5}  result")
    for e in manifest:
        name, path = e["name"], os.path.join(HERE, e["file"])
        per_section[(e["rfc"], ".".join(e["section"].split(".")[:3 if e["section"].startswith("3.1") else 2]))] += 1
        if not os.path.isfile(path):
            failures.append(f"{e['file']}: missing")
            print(f"{e['file']:42} MISSING")
            continue
        data = open(path, "rb").read()
        digest = hashlib.sha256(data).hexdigest()
        if digest != e["sha256"] or len(data) != e["size"]:
            failures.append(f"{e['file']}: sha256/size differ from manifest")
        if name in ARCHIVE_SHA256 and e["rfc"] == "RFC 4475" and digest != ARCHIVE_SHA256[name]:
            failures.append(f"{e['file']}: differs from the published archive digest")

        head, sep, body = data.partition(b"\r\n\r\n")
        scope = data if e["lineEndings"] == "all" else head + sep
        if bare_terminators(scope):
            failures.append(f"{e['file']}: {bare_terminators(scope)} bare CR/LF in {e['lineEndings']} scope")
        if not data.endswith(b"\r\n"):
            failures.append(f"{e['file']}: last line not CRLF-terminated")
        if bool(sep) != e["headerSectionTerminated"]:
            failures.append(f"{e['file']}: header-section terminator disagrees with manifest")
        if not sep:
            head, body = data, b""

        cls = content_lengths(head)
        cl_text = ",".join(cls) if cls else "-"
        if len(cls) == 1 and re.fullmatch(r"\d+", cls[0]):
            cl = int(cls[0])
            if cl == len(body):
                result = "body == Content-Length"
            elif cl < len(body):
                result = f"body > Content-Length (+{len(body) - cl} trailing octets)"
            else:
                result = f"body < Content-Length (short by {cl - len(body)})"
            match = cl == len(body)
        else:
            result = "no usable Content-Length" if not cls else "Content-Length not a single non-negative integer"
            match = False
        if not sep:
            result += "; header section NOT terminated by an empty line"
        if e["valid"]:
            if not match:
                if e["contentLengthMismatchExpected"]:
                    result += "  [expected, see notes]"
                else:
                    result += "  [FAIL]"
                    failures.append(f"{e['file']}: valid message whose body length != Content-Length")
        else:
            result += "  [invalid message]"
        print(f"{e['file']:42} {str(e['valid']).lower():5} {cl_text:>6} {len(body):>5}  {result}")

    print()
    print("messages per RFC section:")
    for (rfc, sec), n in sorted(per_section.items(), key=lambda kv: (kv[0][0], [int(x) for x in kv[0][1].split(".")])):
        print(f"  {rfc} §{sec}: {n}")
    by_rfc = Counter(e["rfc"] for e in manifest)
    print("  total: " + ", ".join(f"{r} {n}" for r, n in sorted(by_rfc.items())))
    verified = sum(1 for e in manifest if e["name"] in ARCHIVE_SHA256 and e["rfc"] == "RFC 4475")
    print(f"  {verified} files compared against published archive digests")
    print()
    if failures:
        print(f"FAILED ({len(failures)}):")
        for f in failures:
            print("  " + f)
        return 1
    print(f"OK: {len(manifest)} files checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
