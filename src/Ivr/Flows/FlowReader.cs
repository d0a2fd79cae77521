using System.Text.Json;

namespace Hotline.Ivr.Flows;

/// <summary>
/// Turns a flow document (JSON, see flow.schema.json) into a <see cref="FlowDefinition"/>, collecting every
/// problem rather than stopping at the first, each naming the node and field. Structure only: references
/// between nodes are checked by <see cref="FlowValidator"/>.
/// </summary>
public static class FlowReader
{
    public static readonly IReadOnlyList<string> NodeTypes =
        ["play", "menu", "collect", "record", "transfer", "voicemail", "timeSwitch", "blacklist", "set", "branch", "httpLookup", "hangup"];

    public static FlowDefinition? Read(string json, out IReadOnlyList<FlowError> errors)
    {
        var list = new List<FlowError>();
        errors = list;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            list.Add(new FlowError(null, "(document)", $"not valid JSON at line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}"));
            return null;
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                list.Add(new FlowError(null, "(document)", $"must be an object, not {FlowFields.Kind(doc.RootElement)}"));
                return null;
            }
            var f = new FlowFields(doc.RootElement, null, list);
            f.Allow("$schema");
            var id = f.String("id", required: true, FlowFields.NodeId(), "a flow id (letters, digits, _ . -, at most 64)");
            var name = f.String("name") ?? "";
            var description = f.String("description") ?? "";
            var start = f.NodeRef("start", required: true);
            var maxSteps = f.Int("maxSteps", FlowDefinition.DefaultMaxSteps, 1, FlowDefinition.MaxStepsLimit);
            var nodes = new Dictionary<string, FlowNode>(StringComparer.Ordinal);
            var rawNodes = f.Object("nodes", required: true);
            if (rawNodes is { Count: 0 }) f.Error("nodes", "must have at least one node");
            foreach (var (nodeId, element) in rawNodes ?? [])
            {
                if (!FlowFields.NodeId().IsMatch(nodeId))
                {
                    list.Add(new FlowError(nodeId, "(id)", "a node id may have letters, digits, _ . - and at most 64 characters"));
                    continue;
                }
                if (element.ValueKind != JsonValueKind.Object)
                {
                    list.Add(new FlowError(nodeId, "(node)", $"must be an object, not {FlowFields.Kind(element)}"));
                    continue;
                }
                var node = ReadNode(nodeId, element, list);
                if (node is not null) nodes[nodeId] = node;
            }
            f.RejectUnknown();
            if (list.Count > 0) return null;
            return new FlowDefinition { Id = id!, Name = name, Description = description, Start = start!, MaxSteps = maxSteps, Nodes = nodes };
        }
    }

    private static FlowNode? ReadNode(string id, JsonElement element, List<FlowError> errors)
    {
        var before = errors.Count;
        var f = new FlowFields(element, id, errors);
        var type = f.String("type", required: true);
        if (type is null) return null;
        f.Allow("comment");
        FlowNode? node = type switch
        {
            "play" => new PlayNode { Id = id, Prompts = RequirePrompts(f, "prompts"), Interruptible = f.Bool("interruptible", false), Next = f.NodeRef("next") },
            "menu" => ReadMenu(id, f),
            "collect" => ReadCollect(id, f),
            "record" => new RecordNode
            {
                Id = id, Prompts = f.Prompts("prompts"), Variable = Variable(f, "variable") ?? "recording",
                MaxSeconds = f.Number("maxSeconds", 120, 1, 3600), SilenceSeconds = f.Number("silenceSeconds", 5, 0, 60),
                Beep = f.Bool("beep", true), StopDigit = f.Key("stopDigit", '#', allowNone: true), Next = f.NodeRef("next"),
            },
            "transfer" => ReadTransfer(id, f),
            "voicemail" => new VoicemailNode { Id = id, Mailbox = f.Template("mailbox", required: true) ?? "", Greeting = OnePrompt(f, "greeting"), Next = f.NodeRef("next") },
            "timeSwitch" => new TimeSwitchNode
            {
                Id = id, Schedule = f.String("schedule", required: true) ?? "", Work = f.NodeRef("work"), Lunch = f.NodeRef("lunch"),
                AfterHours = f.NodeRef("afterHours"), Holiday = f.NodeRef("holiday"), NightService = f.NodeRef("nightService"), Default = f.NodeRef("default"),
            },
            "blacklist" => new BlacklistNode { Id = id, OnListed = f.NodeRef("onListed"), Next = f.NodeRef("next") },
            "set" => ReadSet(id, f),
            "branch" => ReadBranch(id, f),
            "httpLookup" => ReadHttp(id, f),
            "hangup" => new HangupNode { Id = id, Prompts = f.Prompts("prompts"), Status = f.OptionalInt("status", 400, 699) },
            _ => null,
        };
        if (node is null)
        {
            f.Error("type", $"'{type}' is not a node type (one of {string.Join(", ", NodeTypes)})");
            return null;
        }
        f.RejectUnknown();
        return errors.Count == before ? node : null;
    }

    private static IReadOnlyList<string> RequirePrompts(FlowFields f, string name)
    {
        var prompts = f.Prompts(name);
        if (prompts.Count == 0) f.Error(name, "needs at least one prompt");
        return prompts;
    }

    private static string? OnePrompt(FlowFields f, string name) =>
        f.String(name, pattern: FlowFields.PromptName(), patternText: "a prompt name (letters, digits, _ -, folders with /; at most 200 characters)");

    private static string? Variable(FlowFields f, string name, bool required = false) =>
        f.String(name, required, FlowFields.VariableName(), "a variable name (a letter or _, then letters, digits, _ .)");

    private static MenuNode ReadMenu(string id, FlowFields f)
    {
        var options = new Dictionary<char, string>();
        foreach (var (key, value) in f.Object("options", required: true) ?? [])
        {
            if (key.Length != 1 || !FlowFields.Keys.Contains(key[0])) f.Error($"options.{key}", "an option is one key: 0-9, * or #");
            else if (value.ValueKind != JsonValueKind.String || !FlowFields.NodeId().IsMatch(value.GetString()!))
                f.Error($"options.{key}", $"{FlowFields.Describe(value)} is not a node id");
            else options[key[0]] = value.GetString()!;
        }
        return new MenuNode
        {
            Id = id, Prompts = RequirePrompts(f, "prompts"), Options = options,
            TimeoutSeconds = f.Number("timeoutSeconds", 5, 1, 60), MaxAttempts = f.Int("maxAttempts", 3, 1, 10),
            InvalidPrompts = f.Prompts("invalidPrompts"), TimeoutPrompts = f.Prompts("timeoutPrompts"),
            OnInvalid = f.NodeRef("onInvalid"), OnTimeout = f.NodeRef("onTimeout"), OnFailure = f.NodeRef("onFailure"),
            Variable = Variable(f, "variable") ?? "menu",
        };
    }

    private static CollectNode ReadCollect(string id, FlowFields f)
    {
        var node = new CollectNode
        {
            Id = id, Prompts = f.Prompts("prompts"), Variable = Variable(f, "variable", required: true) ?? "",
            MinDigits = f.Int("minDigits", 1, 0, 64), MaxDigits = f.Int("maxDigits", 20, 1, 64),
            Terminator = f.Key("terminator", '#', allowNone: true), TimeoutSeconds = f.Number("timeoutSeconds", 5, 1, 120),
            InterDigitTimeoutSeconds = f.Number("interDigitTimeoutSeconds", 3, 1, 60), Pattern = f.String("pattern"),
            MaxAttempts = f.Int("maxAttempts", 3, 1, 10), InvalidPrompts = f.Prompts("invalidPrompts"),
            Next = f.NodeRef("next"), OnFailure = f.NodeRef("onFailure"),
        };
        if (node.MinDigits > node.MaxDigits) f.Error("minDigits", $"must not be more than maxDigits ({node.MaxDigits})");
        if (node.Pattern is not null)
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(node.Pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException e)
            {
                f.Error("pattern", $"is not a regular expression: {e.Message}");
            }
        }
        return node;
    }

    private static TransferNode ReadTransfer(string id, FlowFields f)
    {
        var target = f.String("target", required: true);
        var kind = target switch
        {
            "extension" => TransferKind.Extension,
            "external" => TransferKind.External,
            "queue" => TransferKind.Queue,
            "flow" => TransferKind.Flow,
            null => TransferKind.Extension,
            _ => (TransferKind?)null,
        };
        if (kind is null) f.Error("target", $"'{target}' is not extension, external, queue or flow");
        return new TransferNode
        {
            Id = id, Target = kind ?? TransferKind.Extension, Value = f.Template("value", required: true) ?? "",
            RingTimeoutSeconds = f.Number("ringTimeoutSeconds", 30, 5, 300), Record = f.Bool("record", true),
            CallerId = f.Template("callerId"), AcceptDigit = f.Key("acceptDigit", null, allowNone: true), AcceptPrompt = OnePrompt(f, "acceptPrompt"),
            OnBusy = f.NodeRef("onBusy"), OnNoAnswer = f.NodeRef("onNoAnswer"), OnFailure = f.NodeRef("onFailure"),
        };
    }

    private static SetNode ReadSet(string id, FlowFields f)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in f.Object("variables", required: true) ?? [])
        {
            if (!FlowFields.VariableName().IsMatch(name)) f.Error($"variables.{name}", "is not a variable name");
            else if (value.ValueKind != JsonValueKind.String) f.Error($"variables.{name}", $"must be a string, not {FlowFields.Kind(value)}");
            else if (FlowTemplate.Check(value.GetString()!) is { } problem) f.Error($"variables.{name}", problem);
            else variables[name] = value.GetString()!;
        }
        return new SetNode { Id = id, Variables = variables, Next = f.NodeRef("next") };
    }

    private static BranchNode ReadBranch(string id, FlowFields f)
    {
        var cases = new List<BranchCase>();
        var array = f.Array("cases", required: true);
        var i = 0;
        foreach (var c in array is { } items ? items.EnumerateArray().ToList() : [])
        {
            var field = $"cases[{i++}]";
            if (c.ValueKind != JsonValueKind.Object)
            {
                f.Error(field, $"must be an object, not {FlowFields.Kind(c)}");
                continue;
            }
            var matches = new[] { ("equals", BranchMatch.Equals), ("prefix", BranchMatch.Prefix), ("regex", BranchMatch.Regex) }
                .Where(m => c.TryGetProperty(m.Item1, out _)).ToList();
            if (matches.Count != 1)
            {
                f.Error(field, "needs exactly one of equals, prefix or regex");
                continue;
            }
            var (matchName, match) = matches[0];
            var unknown = c.EnumerateObject().Select(p => p.Name).Where(n => n != matchName && n != "next").ToList();
            if (unknown.Count > 0) f.Error($"{field}.{unknown[0]}", "is not a field of a branch case");
            if (c.GetProperty(matchName).ValueKind != JsonValueKind.String)
            {
                f.Error($"{field}.{matchName}", "must be a string");
                continue;
            }
            var pattern = c.GetProperty(matchName).GetString()!;
            if (match == BranchMatch.Regex)
            {
                try
                {
                    _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(100));
                }
                catch (ArgumentException e)
                {
                    f.Error($"{field}.regex", $"is not a regular expression: {e.Message}");
                    continue;
                }
            }
            if (!c.TryGetProperty("next", out var next) || next.ValueKind != JsonValueKind.String || !FlowFields.NodeId().IsMatch(next.GetString()!))
            {
                f.Error($"{field}.next", "must name a node");
                continue;
            }
            cases.Add(new BranchCase(match, pattern, next.GetString()!));
        }
        return new BranchNode { Id = id, Value = f.Template("value", required: true) ?? "", Cases = cases, Default = f.NodeRef("default") };
    }

    private static HttpLookupNode ReadHttp(string id, FlowFields f)
    {
        var url = f.Template("url", required: true);
        if (url is not null && !(url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
            f.Error("url", "must start with http:// or https://");
        var method = f.String("method") ?? "GET";
        if (method is not ("GET" or "POST")) f.Error("method", $"'{method}' is not GET or POST");
        var cases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (value, next) in f.Object("cases", required: false) ?? [])
        {
            if (next.ValueKind != JsonValueKind.String || !FlowFields.NodeId().IsMatch(next.GetString()!)) f.Error($"cases.{value}", $"{FlowFields.Describe(next)} is not a node id");
            else cases[value] = next.GetString()!;
        }
        var node = new HttpLookupNode
        {
            Id = id, Url = url ?? "", Method = method, TimeoutSeconds = f.Number("timeoutSeconds", 3, 0.1, 30),
            SaveAs = Variable(f, "saveAs") ?? "http", Field = f.String("field"), Cases = cases, Next = f.NodeRef("next"), OnError = f.NodeRef("onError"),
        };
        if (cases.Count > 0 && node.Field is null) f.Error("field", "is required when cases are given: it names the answer's field to branch on");
        return node;
    }
}
