using System.Text.Json;
using Hotline.Ivr.Flows;
using Json.Schema;

namespace Hotline.Ivr.Tests.Flows;

/// <summary>
/// The JSON Schema in the repository (for editors and the panel) and the reader (for the switch) must agree:
/// a corpus of documents is judged by both, the schema through an independent validator (JsonSchema.Net).
/// Checks only a schema can't express (references between nodes, regular expressions, minDigits ≤ maxDigits)
/// are left out of the corpus.
/// </summary>
public sealed class FlowSchemaTests
{
    private static readonly JsonSchema s_schema = JsonSchema.FromText(FlowService.Schema);

    private static bool SchemaAccepts(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return s_schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid;
    }

    private static string OneNode(string node) => $$"""{ "id": "f", "start": "a", "nodes": { "a": {{node}} } }""";

    public static TheoryData<string, bool> Corpus => new()
    {
        { FlowDocuments.TwoLevel, true },
        { OneNode("""{ "type": "play", "prompts": "welcome" }"""), true },
        { OneNode("""{ "type": "play", "prompts": ["zh/welcome", "digits/1"], "interruptible": true, "comment": "hi" }"""), true },
        { OneNode("""{ "type": "collect", "variable": "id", "terminator": "", "pattern": "^[0-9]+$" }"""), true },
        { OneNode("""{ "type": "collect", "variable": "id", "terminator": null, "minDigits": 0 }"""), true },
        { OneNode("""{ "type": "record", "maxSeconds": 60, "stopDigit": "*", "beep": false }"""), true },
        { OneNode("""{ "type": "transfer", "target": "external", "value": "${http.duty}", "acceptDigit": "1", "acceptPrompt": "accept" }"""), true },
        { OneNode("""{ "type": "voicemail", "mailbox": "${dialled}", "greeting": "night" }"""), true },
        { OneNode("""{ "type": "timeSwitch", "schedule": "main" }"""), true },
        { OneNode("""{ "type": "blacklist" }"""), true },
        { OneNode("""{ "type": "set", "variables": { "vip": "no", "who": "${caller}-${dialled}" } }"""), true },
        { OneNode("""{ "type": "branch", "value": "${caller}", "cases": [ { "prefix": "0755", "next": "a" }, { "regex": "^1[3-9]", "next": "a" } ] }"""), true },
        { OneNode("""{ "type": "httpLookup", "url": "http://127.0.0.1/x?c=${caller}", "method": "POST", "field": "level", "cases": { "vip": "a" }, "onError": "a" }"""), true },
        { OneNode("""{ "type": "hangup", "status": 603, "prompts": [] }"""), true },
        { """{ "$schema": "flow.schema.json", "id": "f", "name": "n", "description": "d", "maxSteps": 50, "start": "a", "nodes": { "a": { "type": "hangup" } } }""", true },

        { """{ "start": "a", "nodes": { "a": { "type": "hangup" } } }""", false },
        { """{ "id": "f", "start": "a", "nodes": {} }""", false },
        { """{ "id": "f", "start": "a", "nodes": { "a": { "type": "hangup" } }, "extra": 1 }""", false },
        { """{ "id": "bad id!", "start": "a", "nodes": { "a": { "type": "hangup" } } }""", false },
        { """{ "id": "f", "start": "a", "maxSteps": 0, "nodes": { "a": { "type": "hangup" } } }""", false },
        { OneNode("""{ "type": "teleport" }"""), false },
        { OneNode("""{ "prompts": ["x"] }"""), false },
        { OneNode("""{ "type": "play" }"""), false },
        { OneNode("""{ "type": "play", "prompts": [] }"""), false },
        { OneNode("""{ "type": "play", "prompts": ["../x"] }"""), false },
        { OneNode("""{ "type": "play", "prompts": ["x"], "nxet": "a" }"""), false },
        { OneNode("""{ "type": "play", "prompts": ["x"], "next": null }"""), false },
        { OneNode("""{ "type": "menu", "prompts": ["m"] }"""), false },
        { OneNode("""{ "type": "menu", "prompts": ["m"], "options": { "12": "a" } }"""), false },
        { OneNode("""{ "type": "menu", "prompts": ["m"], "options": { "1": "a" }, "timeoutSeconds": 0.5 }"""), false },
        { OneNode("""{ "type": "menu", "prompts": ["m"], "options": { "1": "a" }, "maxAttempts": 2.5 }"""), false },
        { OneNode("""{ "type": "collect" }"""), false },
        { OneNode("""{ "type": "collect", "variable": "id", "terminator": "##" }"""), false },
        { OneNode("""{ "type": "record", "maxSeconds": 0 }"""), false },
        { OneNode("""{ "type": "transfer", "target": "moon", "value": "1" }"""), false },
        { OneNode("""{ "type": "transfer", "target": "extension", "value": "" }"""), false },
        { OneNode("""{ "type": "transfer", "target": "extension", "value": "${bad" }"""), false },
        { OneNode("""{ "type": "voicemail" }"""), false },
        { OneNode("""{ "type": "timeSwitch", "schedule": "" }"""), false },
        { OneNode("""{ "type": "set", "variables": { "1x": "y" } }"""), false },
        { OneNode("""{ "type": "set", "variables": { "x": 1 } }"""), false },
        { OneNode("""{ "type": "branch", "value": "${caller}", "cases": [ { "next": "a" } ] }"""), false },
        { OneNode("""{ "type": "branch", "value": "${caller}", "cases": [ { "equals": "1", "prefix": "2", "next": "a" } ] }"""), false },
        { OneNode("""{ "type": "branch", "value": "${caller}", "cases": [ { "equals": "1", "next": "a", "x": 1 } ] }"""), false },
        { OneNode("""{ "type": "httpLookup", "url": "ftp://x" }"""), false },
        { OneNode("""{ "type": "httpLookup", "url": "http://x", "cases": { "1": "a" } }"""), false },
        { OneNode("""{ "type": "httpLookup", "url": "http://x", "method": "PUT" }"""), false },
        { OneNode("""{ "type": "httpLookup", "url": "http://x", "timeoutSeconds": 31 }"""), false },
        { OneNode("""{ "type": "hangup", "status": 200 }"""), false },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Schema_and_reader_agree(string json, bool valid)
    {
        Assert.Equal(valid, SchemaAccepts(json));
        Assert.Equal(valid, FlowReader.Read(json, out var errors) is not null);
        if (!valid) Assert.NotEmpty(errors);
    }

    [Fact]
    public void The_schema_lists_exactly_the_node_types_the_reader_knows()
    {
        using var doc = JsonDocument.Parse(FlowService.Schema);
        var types = doc.RootElement.GetProperty("$defs").GetProperty("node").GetProperty("properties").GetProperty("type").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(FlowReader.NodeTypes.Order(), types.Order());
        foreach (var type in types) Assert.True(doc.RootElement.GetProperty("$defs").TryGetProperty(type, out _), $"no definition for {type}");
    }

    [Fact]
    public void The_schema_file_is_published_beside_the_assembly()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "flow.schema.json");
        Assert.True(File.Exists(path));
        Assert.Equal(FlowService.Schema, File.ReadAllText(path));
    }
}
