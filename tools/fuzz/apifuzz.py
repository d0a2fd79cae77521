#!/usr/bin/env python3
"""Fuzzes the admin REST API (every operation of /openapi/v1.json) and the panel's pages with junk path
segments, query values and bodies, as an admin. Any 5xx, or a request that does not finish in 10 s, is a
finding; exits 1 if there is one.

  apifuzz.py ADMIN_PASSWORD [SEED] [TRIES_PER_OPERATION] [BASE_URL]
"""
import random
import re
import sys

import requests

password = sys.argv[1]
rnd = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
tries = int(sys.argv[3]) if len(sys.argv) > 3 else 12
base = sys.argv[4] if len(sys.argv) > 4 else "http://127.0.0.1:8080"

panel = requests.Session()
token = re.search(r'name="__RequestVerificationToken" value="([^"]*)"', panel.get(base + "/login").text).group(1)
login = panel.post(base + "/account/login", data={"__RequestVerificationToken": token, "userName": "admin", "password": password}, allow_redirects=False)
if login.status_code != 302:
    sys.exit(f"login failed: {login.status_code}")
created = panel.post(base + "/api/tokens", json={"name": f"fuzz-{rnd.getrandbits(24):x}", "role": "admin", "validDays": 1})
if created.status_code != 201:
    sys.exit(f"could not create an API token: {created.status_code} {created.text[:200]}")
api = requests.Session()
api.headers["Authorization"] = "Bearer " + created.json()["token"]
doc = api.get(base + "/openapi/v1.json").json()
schemas = doc.get("components", {}).get("schemas", {})

JUNK = [None, "", " ", "x" * 5000, -1, 0, 2**31, 2**63, -2**63, 1.5e308, True, [], {}, "\u0000", "../../etc/passwd",
        "<script>", "'; DROP", "９９", "١٢٣", "+86 138", "*", "%", "%2e", "_", "\u202e"]
SEGMENTS = ["1001", "x", "..", "%2e%2e%2f", "a" * 3000, "%00", "12345", "-1", "99999999999999999999", "%E4%B8%AD", "1001%0d%0aX:1", "pstn", "%252e"]
QUERY = SEGMENTS + ["2026-01-01", "2026-13-45", "0", "-5", "true", "%2e", "_", "%"]


def sample(schema, depth=0):
    if depth > 4:
        return None
    if "$ref" in schema:
        return sample(schemas.get(schema["$ref"].split("/")[-1], {}), depth + 1)
    if rnd.random() < 0.15:
        return rnd.choice(JUNK)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = rnd.choice([k for k in kind if k != "null"] or ["null"])
    if kind == "object" or "properties" in schema:
        return {k: sample(v, depth + 1) for k, v in schema.get("properties", {}).items() if rnd.random() < 0.9}
    if kind == "array":
        return [sample(schema.get("items", {}), depth + 1) for _ in range(rnd.randint(0, 3))]
    if kind == "integer":
        return rnd.choice([0, 1, 5, 100, -5, 99999])
    if kind == "number":
        return rnd.choice([0, 1.5, -3])
    if kind == "boolean":
        return rnd.choice([True, False])
    if "enum" in schema:
        return rnd.choice(schema["enum"])
    return rnd.choice(["1001", "12345", "test", "2026-11-29", "08:00", "pstn", "Work", "a" * 40, ""])


findings, count = [], 0
for path, operations in doc["paths"].items():
    # Left out: the live event stream (never ends), backups and system actions (restore, restart), tokens and
    # users (the fuzzer's own credentials must survive), logout.
    if path.startswith(("/api/events", "/api/system", "/api/backup", "/api/tokens", "/account")):
        continue
    for method, operation in operations.items():
        if path.startswith("/api/users") and method != "get":
            continue
        content = operation.get("requestBody", {}).get("content", {})
        body_schema = content.get("application/json", {}).get("schema")
        for _ in range(tries):
            url = base + re.sub(r"\{[^}]+\}", lambda _: rnd.choice(SEGMENTS), path)
            query = {p["name"]: rnd.choice(QUERY) for p in operation.get("parameters", []) if p.get("in") == "query" and rnd.random() < 0.7}
            kwargs = {"params": query, "timeout": 10}
            if body_schema is not None or method in ("post", "put"):
                mode = rnd.random()
                if mode < 0.6:
                    kwargs["json"] = sample(body_schema or {})
                elif mode < 0.8:
                    kwargs["data"] = rnd.choice(["{", "[1,2", "null", "\"x\"", "{\"a\":" * 200, "\xff\xfe"])
                    kwargs["headers"] = {"Content-Type": "application/json"}
                else:
                    kwargs["data"] = "a=b"
                    kwargs["headers"] = {"Content-Type": rnd.choice(["text/plain", "application/xml", "multipart/form-data"])}
            try:
                response = api.request(method.upper(), url, **kwargs)
            except requests.RequestException as e:
                findings.append((method, path, url[:120], query, f"no answer: {e}"[:160]))
                continue
            count += 1
            if response.status_code >= 500:
                findings.append((method, path, url[:120], query, response.status_code, str(kwargs.get("json", kwargs.get("data")))[:160]))

# The panel's pages, found from the home page's links, with junk query strings; a reflected script is a finding too.
seen, todo, pages = set(), ["/"], []
while todo and len(seen) < 200:
    page = todo.pop()
    if page in seen:
        continue
    seen.add(page)
    response = panel.get(base + page, timeout=10)
    if "text/html" in response.headers.get("content-type", ""):
        pages.append(page)
        todo += [h for h in re.findall(r'href="(/[^"#?]*)', response.text)
                 if not h.startswith(("/api", "/account/logout", "/css", "/js", "/lib", "/favicon", "/openapi"))]
for page in pages:
    for _ in range(tries):
        query = {rnd.choice(["from", "to", "number", "q", "page", "skip", "limit", "id", "period", "extension", "status", "sort", "returnUrl"]):
                 rnd.choice(QUERY + ["<script>alert(1)</script>"]) for _ in range(rnd.randint(1, 4))}
        try:
            response = panel.get(base + page, params=query, timeout=10)
        except requests.RequestException as e:
            findings.append(("get", page, query, f"no answer: {e}"[:160]))
            continue
        count += 1
        if response.status_code >= 500 or "<script>alert(1)</script>" in response.text:
            findings.append(("get", page, query, response.status_code))

print(f"{count} requests over {len(doc['paths'])} API paths and {len(pages)} pages; {len(findings)} findings")
for f in findings[:40]:
    print("  ", f)
sys.exit(1 if findings else 0)
