using Hotline.Ivr.Flows;

namespace Hotline.Ivr.Tests.Flows;

public sealed class FlowReaderTests
{
    private static IReadOnlyList<FlowError> Errors(string json)
    {
        var check = FlowValidator.Check(json);
        Assert.False(check.Valid);
        return check.Errors;
    }

    private static string OneNode(string node) => $$"""{ "id": "f", "start": "a", "nodes": { "a": {{node}} } }""";

    [Fact]
    public void Reads_every_node_of_a_two_level_menu()
    {
        var check = FlowValidator.Check(FlowDocuments.TwoLevel);
        Assert.True(check.Valid, string.Join("; ", check.Errors));
        var flow = check.Flow!;
        Assert.Equal("welcome", flow.Start);
        var main = Assert.IsType<MenuNode>(flow.Nodes["main"]);
        Assert.Equal("to1001", main.Options['1']);
        Assert.Equal(3, main.MaxAttempts);
        Assert.Equal("nobody", main.OnTimeout);
        var transfer = Assert.IsType<TransferNode>(flow.Nodes["to1001"]);
        Assert.Equal(TransferKind.Extension, transfer.Target);
        Assert.Equal(20, transfer.RingTimeoutSeconds);
        Assert.Empty(check.Warnings);
    }

    [Fact]
    public void A_wrong_field_type_names_the_node_and_the_field()
    {
        var errors = Errors(OneNode("""{ "type": "menu", "prompts": ["m"], "options": { "1": "a" }, "timeoutSeconds": "five" }"""));
        var e = Assert.Single(errors);
        Assert.Equal("a", e.Node);
        Assert.Equal("timeoutSeconds", e.Field);
        Assert.Contains("number", e.Message);
    }

    [Fact]
    public void A_misspelt_field_is_refused_rather_than_ignored()
    {
        var e = Assert.Single(Errors(OneNode("""{ "type": "play", "prompts": ["x"], "nxet": "a" }""")));
        Assert.Equal(("a", "nxet"), (e.Node, e.Field));
    }

    [Fact]
    public void An_exit_to_a_missing_node_is_an_error_on_that_exit()
    {
        var e = Assert.Single(Errors(OneNode("""{ "type": "menu", "prompts": ["m"], "options": { "1": "nowhere" } }""")));
        Assert.Equal(("a", "options.1"), (e.Node, e.Field));
        Assert.Contains("nowhere", e.Message);
    }

    [Fact]
    public void Collects_every_error_not_just_the_first()
    {
        var json = """
        { "id": "f", "start": "missing", "nodes": {
            "a": { "type": "collect", "minDigits": 5, "maxDigits": 2 },
            "b": { "type": "teleport" },
            "c": { "type": "transfer", "target": "moon", "value": "" },
            "d": { "type": "httpLookup", "url": "ftp://x", "cases": { "1": "a" } }
        } }
        """;
        var errors = FlowReader.Read(json, out var list) is null ? list : [];
        Assert.Contains(errors, e => e is { Node: "a", Field: "variable" });
        Assert.Contains(errors, e => e is { Node: "a", Field: "minDigits" });
        Assert.Contains(errors, e => e is { Node: "b", Field: "type" } && e.Message.Contains("teleport"));
        Assert.Contains(errors, e => e is { Node: "c", Field: "target" });
        Assert.Contains(errors, e => e is { Node: "c", Field: "value" });
        Assert.Contains(errors, e => e is { Node: "d", Field: "url" });
        Assert.Contains(errors, e => e is { Node: "d", Field: "field" });
    }

    [Fact]
    public void A_start_that_names_no_node_is_an_error_of_the_document()
    {
        var e = Assert.Single(Errors("""{ "id": "f", "start": "b", "nodes": { "a": { "type": "hangup" } } }"""));
        Assert.Equal((null, "start"), (e.Node, e.Field));
    }

    [Theory]
    [InlineData("""{ "type": "play", "prompts": [] }""", "prompts")]
    [InlineData("""{ "type": "play", "prompts": ["../etc/passwd"] }""", "prompts[0]")]
    [InlineData("""{ "type": "menu", "prompts": ["m"], "options": { "12": "a" } }""", "options.12")]
    [InlineData("""{ "type": "menu", "prompts": ["m"], "options": { "1": "a" }, "maxAttempts": 0 }""", "maxAttempts")]
    [InlineData("""{ "type": "collect", "variable": "9lives" }""", "variable")]
    [InlineData("""{ "type": "collect", "variable": "id", "terminator": "##" }""", "terminator")]
    [InlineData("""{ "type": "collect", "variable": "id", "pattern": "([0-9]" }""", "pattern")]
    [InlineData("""{ "type": "set", "variables": { "x": "${unclosed" } }""", "variables.x")]
    [InlineData("""{ "type": "branch", "value": "${caller}", "cases": [ { "equals": "1", "prefix": "2", "next": "a" } ] }""", "cases[0]")]
    [InlineData("""{ "type": "hangup", "status": 200 }""", "status")]
    [InlineData("""{ "type": "play", "prompts": ["x"], "next": null }""", "next")]
    public void Refuses_bad_values_naming_the_field(string node, string field)
    {
        var errors = Errors(OneNode(node));
        Assert.Contains(errors, e => e.Node == "a" && e.Field == field);
    }

    [Fact]
    public void Broken_json_says_where()
    {
        var e = Assert.Single(Errors("{ \"id\": \"f\",\n  \"start\": }"));
        Assert.Equal("(document)", e.Field);
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void Warns_about_unreachable_nodes_and_missing_references()
    {
        var json = """
        { "id": "f", "start": "a", "nodes": {
            "a": { "type": "timeSwitch", "schedule": "nope", "default": "b" },
            "b": { "type": "voicemail", "mailbox": "999" },
            "orphan": { "type": "play", "prompts": ["lonely"] }
        } }
        """;
        var check = FlowValidator.Check(json, new NoReferences());
        Assert.True(check.Valid);
        Assert.Contains(check.Warnings, w => w is { Node: "a", Field: "schedule" });
        Assert.Contains(check.Warnings, w => w is { Node: "b", Field: "mailbox" });
        Assert.Contains(check.Warnings, w => w is { Node: "orphan", Field: "(node)" });
        Assert.Contains(check.Warnings, w => w is { Node: "orphan", Field: "prompts" });
    }

    [Fact]
    public void A_node_that_leads_to_itself_without_waiting_is_refused()
    {
        var e = Assert.Single(Errors(OneNode("""{ "type": "set", "variables": { "x": "1" }, "next": "a" }""")));
        Assert.Equal(("a", "next"), (e.Node, e.Field));
    }

    private sealed class NoReferences : IFlowReferences
    {
        public bool PromptExists(string name) => false;
        public bool ScheduleExists(string id) => false;
        public bool FlowExists(string id) => false;
        public bool MailboxExists(string id) => false;
    }
}
