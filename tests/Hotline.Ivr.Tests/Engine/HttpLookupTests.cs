using Hotline.Ivr.Tests.Support;

namespace Hotline.Ivr.Tests.Engine;

/// <summary>The httpLookup node against a real HTTP server on loopback; its timeout runs on the fake clock.</summary>
public sealed class HttpLookupTests : IDisposable
{
    private readonly IvrTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private void SaveFlow(string baseUrl, string method = "GET", double timeout = 2) => _kit.SaveFlow($$"""
    { "id": "crm", "start": "ask", "nodes": {
        "ask": { "type": "httpLookup", "url": "{{baseUrl}}/callers?number=${caller}&digits=${digits}", "method": "{{method}}",
                 "timeoutSeconds": {{timeout}}, "saveAs": "crm", "field": "level", "cases": { "vip": "vip", "blocked": "blocked" },
                 "next": "normal", "onError": "fallback" },
        "vip": { "type": "set", "variables": { "route": "vip ${crm.name}" } },
        "blocked": { "type": "set", "variables": { "route": "blocked" } },
        "normal": { "type": "set", "variables": { "route": "normal" } },
        "fallback": { "type": "set", "variables": { "route": "fallback ${crm.error}" } }
    } }
    """);

    [Fact]
    public async Task Branches_on_a_field_of_the_JSON_answer_and_keeps_its_fields()
    {
        using var server = new LookupServer((_, _) => (200, """{ "level": "vip", "name": "Wang", "cases": 3, "open": true }"""));
        SaveFlow(server.Base);
        var call = _kit.Call("+86 138-0013-8000");
        call.Variables["digits"] = "1 2";
        await _kit.Run(call, "crm");
        Assert.Equal("vip Wang", call.Variables["route"]);
        Assert.Equal("3", call.Variables["crm.cases"]);
        Assert.Equal("true", call.Variables["crm.open"]);
        var (url, _) = Assert.Single(server.Requests);
        Assert.Equal("/callers?number=%2B86%20138-0013-8000&digits=1%202", url);
    }

    [Fact]
    public async Task An_answer_without_a_matching_case_goes_to_next()
    {
        using var server = new LookupServer((_, _) => (200, """{ "level": "ordinary" }"""));
        SaveFlow(server.Base);
        var call = _kit.Call();
        await _kit.Run(call, "crm");
        Assert.Equal("normal", call.Variables["route"]);
    }

    [Fact]
    public async Task A_server_error_takes_the_fallback()
    {
        using var server = new LookupServer((_, _) => (503, "busy"));
        SaveFlow(server.Base);
        var call = _kit.Call();
        await _kit.Run(call, "crm");
        Assert.Equal("fallback status 503", call.Variables["route"]);
    }

    [Fact]
    public async Task A_refused_connection_takes_the_fallback()
    {
        int port;
        using (var server = new LookupServer((_, _) => (200, "{}"))) port = server.Port;
        SaveFlow($"http://127.0.0.1:{port}");
        var call = _kit.Call();
        await _kit.Run(call, "crm");
        Assert.StartsWith("fallback ", call.Variables["route"]);
    }

    [Fact]
    public async Task A_service_that_does_not_answer_in_time_takes_the_fallback()
    {
        using var server = new LookupServer((_, _) => null);
        SaveFlow(server.Base, timeout: 2);
        var call = _kit.Call();
        var run = _kit.Run(call, "crm");
        Assert.True(await server.Received.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken), "the request reached the server");
        Assert.False(run.IsCompleted);
        _kit.Time.Advance(TimeSpan.FromSeconds(1.9));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(run.IsCompleted, "still within the timeout");
        _kit.Time.Advance(TimeSpan.FromSeconds(0.2));
        await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal("fallback timeout", call.Variables["route"]);
    }

    [Fact]
    public async Task Post_sends_the_call_variables_as_JSON()
    {
        using var server = new LookupServer((_, body) => (200, body.Contains("\"caller\":\"13800138000\"") ? """{ "level": "blocked" }""" : "{}"));
        SaveFlow(server.Base, method: "POST");
        var call = _kit.Call();
        await _kit.Run(call, "crm");
        Assert.Equal("blocked", call.Variables["route"]);
    }

    [Fact]
    public async Task A_plain_text_answer_is_kept_whole()
    {
        using var server = new LookupServer((_, _) => (200, "  case-2030-0042 \n"));
        _kit.SaveFlow($$"""
        { "id": "txt", "start": "ask", "nodes": {
            "ask": { "type": "httpLookup", "url": "{{server.Base}}/case", "saveAs": "case", "next": "done" },
            "done": { "type": "set", "variables": { "got": "${case}" } }
        } }
        """);
        var call = _kit.Call();
        await _kit.Run(call, "txt");
        Assert.Equal("case-2030-0042", call.Variables["got"]);
    }
}
