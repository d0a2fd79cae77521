using Hotline.Ivr.Engine;
using Hotline.Ivr.Tests.Flows;
using Hotline.Ivr.Tests.Support;
using Hotline.Ivr.Voicemail;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;

namespace Hotline.Ivr.Tests.Engine;

public sealed class FlowInterpreterTests : IDisposable
{
    private readonly IvrTestKit _kit = new();

    public FlowInterpreterTests()
    {
        _kit.SaveFlow(FlowDocuments.TwoLevel);
        _kit.Voicemail.SaveMailbox(new Mailbox { Id = "12345", Name = "Hotline" }, "2468");
    }

    public void Dispose() => _kit.Dispose();

    [Fact]
    public async Task Key_1_in_the_main_menu_rings_extension_1001()
    {
        var call = _kit.Call().Press("1");
        var result = (await _kit.Run(call, "two-level"));
        Assert.Equal(FlowOutcome.Connected, result.Outcome);
        var (target, options) = Assert.Single(call.Connects);
        Assert.Equal(new RouteTarget(RouteTargetKind.Extension, "1001"), target);
        Assert.Equal(TimeSpan.FromSeconds(20), options.RingTimeout);
        Assert.Equal(["answer", "play:welcome", "play:main-menu", "collect:1", "connect:Extension:1001"], call.Log);
        Assert.Equal("1", call.Variables["menu"]);
        Assert.Equal("13800138000", call.Variables["caller"]);
    }

    [Fact]
    public async Task Keys_pressed_during_a_prompt_interrupt_it_and_choose()
    {
        var call = _kit.Call().PressDuringPrompt("2").PressDuringPrompt("1");
        _kit.Destinations.Register(RouteTargetKind.Queue, new RecordingQueue());
        var result = (await _kit.Run(call, "two-level"));
        Assert.Equal(FlowOutcome.Connected, result.Outcome);
        Assert.Equal(["two-level/welcome", "two-level/main", "two-level/sub", "two-level/queue"], result.Path);
    }

    [Fact]
    public async Task The_second_level_reaches_the_queue_through_the_destination_registry()
    {
        var queue = new RecordingQueue();
        _kit.Destinations.Register(RouteTargetKind.Queue, queue);
        var call = _kit.Call().Press("2").Press("1");
        var result = (await _kit.Run(call, "two-level"));
        Assert.Equal(FlowOutcome.Connected, result.Outcome);
        Assert.Equal(new RouteTarget(RouteTargetKind.Queue, "complaints"), Assert.Single(queue.Targets));
    }

    [Fact]
    public async Task A_queue_that_gives_the_caller_back_continues_at_onFailure()
    {
        _kit.Destinations.Register(RouteTargetKind.Queue, new RecordingQueue { Exit = "timeout" });
        var call = _kit.Call().Press("2").Press("1");
        var result = (await _kit.Run(call, "two-level"));
        Assert.Equal(["two-level/welcome", "two-level/main", "two-level/sub", "two-level/queue", "two-level/vm"], result.Path);
        Assert.Single(_kit.Voicemail.List("12345"));
    }

    [Fact]
    public async Task Star_in_the_sub_menu_goes_back_to_the_main_menu()
    {
        var call = _kit.Call().Press("2").Press("*").Press("1");
        var result = (await _kit.Run(call, "two-level"));
        Assert.Equal(["two-level/welcome", "two-level/main", "two-level/sub", "two-level/main", "two-level/to1001"], result.Path);
    }

    [Fact]
    public async Task A_wrong_key_plays_the_invalid_prompt_and_offers_the_menu_again()
    {
        var call = _kit.Call().Press("5").Press("1");
        var result = (await _kit.Run(call, "two-level"));
        Assert.Equal(FlowOutcome.Connected, result.Outcome);
        Assert.Equal(["welcome", "main-menu", "invalid", "main-menu"], call.AllPrompts);
    }

    [Fact]
    public async Task Silence_plays_the_timeout_prompt_and_offers_the_menu_again()
    {
        var call = _kit.Call().Silence().Press("1");
        var start = _kit.Time.GetUtcNow();
        await _kit.Run(call, "two-level");
        Assert.Equal(["welcome", "main-menu", "no-input", "main-menu"], call.AllPrompts);
        Assert.Contains("collect:timeout", call.Log);
        Assert.True(_kit.Time.GetUtcNow() - start >= TimeSpan.FromSeconds(5), "the menu waited its timeout");
    }

    [Fact]
    public async Task Three_wrong_keys_take_the_invalid_branch()
    {
        var call = _kit.Call().Press("5").Press("6").Press("7");
        var result = (await _kit.Run(call, "two-level"));
        Assert.Equal(FlowOutcome.HungUp, result.Outcome);
        Assert.Equal("two-level/bad-key", result.Path[^1]);
        Assert.Equal(["welcome", "main-menu", "invalid", "main-menu", "invalid", "main-menu", "invalid", "too-many-wrong-keys"], call.AllPrompts);
    }

    [Fact]
    public async Task Three_timeouts_take_the_timeout_branch_to_voicemail()
    {
        var call = _kit.Call().Silence().Silence().Silence();
        var result = (await _kit.Run(call, "two-level"));
        Assert.Equal("two-level/nobody", result.Path[^1]);
        var message = Assert.Single(_kit.Voicemail.List("12345"));
        Assert.Equal("13800138000", message.Caller);
    }

    [Fact]
    public async Task The_last_failure_decides_the_branch()
    {
        var call = _kit.Call().Press("5").Press("6").Silence();
        var result = (await _kit.Run(call, "two-level"));
        Assert.Equal("two-level/nobody", result.Path[^1]);
    }

    [Fact]
    public async Task A_sub_menu_without_its_own_branches_falls_to_onFailure()
    {
        var call = _kit.Call().Press("2").Press("8").Press("8");
        var result = (await _kit.Run(call, "two-level"));
        Assert.Equal("two-level/bye", result.Path[^1]);
        Assert.Equal("goodbye", call.AllPrompts.Last());
    }

    [Theory]
    [InlineData(ConnectOutcome.NoAnswer, "two-level/vm")]
    [InlineData(ConnectOutcome.Busy, "two-level/vm")]
    [InlineData(ConnectOutcome.Failed, "two-level/bye")]
    public async Task An_unanswered_transfer_follows_its_branch(ConnectOutcome outcome, string last)
    {
        var call = _kit.Call().Press("1");
        call.OnConnect = (_, _) => new ConnectResult(outcome, outcome == ConnectOutcome.Busy ? 486 : 480, null);
        var result = (await _kit.Run(call, "two-level"));
        Assert.Equal(last, result.Path[^1]);
    }

    [Fact]
    public async Task A_caller_who_hangs_up_leaves_the_flow()
    {
        var call = _kit.Call().Press("2").HangUp();
        var result = (await _kit.Run(call, "two-level"));
        Assert.Equal(FlowOutcome.CallerLeft, result.Outcome);
        Assert.True(call.HungUpByCaller);
        Assert.Null(call.HangupStatus);
    }

    [Fact]
    public async Task Key_9_leaves_a_voicemail_with_the_callers_number_and_time()
    {
        var call = _kit.Call("13912345678").Press("9");
        var result = (await _kit.Run(call, "two-level"));
        Assert.Equal(FlowOutcome.HungUp, result.Outcome);
        var message = Assert.Single(_kit.Voicemail.List("12345"));
        Assert.Equal("13912345678", message.Caller);
        Assert.False(message.Read);
        Assert.True(File.Exists(_kit.Voicemail.FilePath(message)));
        Assert.Equal(3, message.Duration.TotalSeconds, 1);
        Assert.InRange(message.Received, IvrTestKit.MondayMorning, _kit.Time.GetUtcNow());
    }

    [Fact]
    public async Task A_flow_that_loops_is_stopped_by_its_step_limit()
    {
        _kit.SaveFlow("""
        { "id": "loop", "start": "a", "maxSteps": 25, "nodes": {
            "a": { "type": "play", "prompts": ["x"], "next": "b" },
            "b": { "type": "set", "variables": { "n": "${n}1" }, "next": "a" }
        } }
        """);
        var call = _kit.Call();
        var result = (await _kit.Run(call, "loop"));
        Assert.Equal(FlowOutcome.StepLimit, result.Outcome);
        Assert.Equal(25, result.Steps);
        Assert.Equal(0, call.HangupStatus); // answered (a prompt was played): ended with BYE
        Assert.True(call.Ended.IsCancellationRequested);
    }

    [Fact]
    public async Task Flows_transferring_to_each_other_share_one_step_limit()
    {
        _kit.SaveFlow("""{ "id": "ping", "start": "a", "maxSteps": 10, "nodes": { "a": { "type": "transfer", "target": "flow", "value": "pong" } } }""");
        _kit.SaveFlow("""{ "id": "pong", "start": "a", "maxSteps": 10, "nodes": { "a": { "type": "transfer", "target": "flow", "value": "ping" } } }""");
        var result = (await _kit.Run(_kit.Call(), "ping"));
        Assert.Equal(FlowOutcome.StepLimit, result.Outcome);
        Assert.Equal(10, result.Steps);
    }

    [Fact]
    public async Task Collect_checks_length_and_pattern_and_retries()
    {
        _kit.SaveFlow("""
        { "id": "case", "start": "ask", "nodes": {
            "ask": { "type": "collect", "prompts": ["enter-case"], "variable": "case", "minDigits": 6, "maxDigits": 8, "pattern": "^2030",
                     "invalidPrompts": ["invalid"], "next": "done", "onFailure": "bye" },
            "done": { "type": "set", "variables": { "said": "case ${case} from ${caller}" } },
            "bye": { "type": "hangup" }
        } }
        """);
        var call = _kit.Call().Press("123#").Press("1999010#").Press("2030123#");
        var result = (await _kit.Run(call, "case"));
        Assert.Equal("case/done", result.Path[^1]);
        Assert.Equal("2030123", call.Variables["case"]);
        Assert.Equal("case 2030123 from 13800138000", call.Variables["said"]);
        Assert.Equal(["enter-case", "invalid", "enter-case", "invalid", "enter-case"], call.AllPrompts);
    }

    [Fact]
    public async Task Branch_chooses_by_prefix_equals_and_regex()
    {
        _kit.SaveFlow("""
        { "id": "br", "start": "b", "nodes": {
            "b": { "type": "branch", "value": "${caller}", "cases": [
                { "equals": "110", "next": "police" }, { "prefix": "0755", "next": "shenzhen" }, { "regex": "^1[3-9][0-9]{9}$", "next": "mobile" } ],
              "default": "other" },
            "police": { "type": "set", "variables": { "r": "police" } },
            "shenzhen": { "type": "set", "variables": { "r": "shenzhen" } },
            "mobile": { "type": "set", "variables": { "r": "mobile" } },
            "other": { "type": "set", "variables": { "r": "other" } }
        } }
        """);
        async Task<string> Route(string caller)
        {
            var call = _kit.Call(caller);
            await _kit.Run(call, "br");
            return call.Variables["r"];
        }
        Assert.Equal("police", await Route("110"));
        Assert.Equal("shenzhen", await Route("075512345678"));
        Assert.Equal("mobile", await Route("13812345678"));
        Assert.Equal("other", await Route("anonymous"));
    }

    [Fact]
    public async Task A_transfer_to_an_extension_the_caller_keyed_in_uses_the_variable()
    {
        _kit.SaveFlow("""
        { "id": "dial", "start": "ask", "nodes": {
            "ask": { "type": "collect", "prompts": ["ext"], "variable": "ext", "minDigits": 4, "maxDigits": 4, "next": "go" },
            "go": { "type": "transfer", "target": "extension", "value": "${ext}", "callerId": "${caller}" }
        } }
        """);
        var call = _kit.Call().Press("1004");
        await _kit.Run(call, "dial");
        var (target, options) = Assert.Single(call.Connects);
        Assert.Equal("1004", target.Value);
        Assert.Equal("13800138000", options.CallerId);
    }

    [Fact]
    public async Task A_hangup_before_answer_refuses_with_its_status()
    {
        _kit.SaveFlow("""{ "id": "closed", "start": "h", "nodes": { "h": { "type": "hangup", "status": 480 } } }""");
        var call = _kit.Call();
        await _kit.Run(call, "closed");
        Assert.False(call.Answered);
        Assert.Equal(480, call.HangupStatus);
    }

    [Fact]
    public async Task A_missing_flow_refuses_the_call()
    {
        var call = _kit.Call();
        var result = (await _kit.Run(call, "nope"));
        Assert.Equal(FlowOutcome.FlowMissing, result.Outcome);
        Assert.Equal(480, call.HangupStatus);
    }

    [Fact]
    public async Task A_call_keeps_the_flow_it_started_with_while_the_next_call_gets_the_edit()
    {
        _kit.SaveFlow("""{ "id": "ed", "start": "a", "nodes": { "a": { "type": "play", "prompts": ["old"] } } }""");
        var first = _kit.Call();
        await _kit.Run(first, "ed");
        _kit.SaveFlow("""{ "id": "ed", "start": "a", "nodes": { "a": { "type": "play", "prompts": ["new"] } } }""");
        var second = _kit.Call();
        await _kit.Run(second, "ed");
        Assert.Equal(["old"], first.AllPrompts);
        Assert.Equal(["new"], second.AllPrompts);
    }

    [Fact]
    public async Task A_missing_prompt_is_skipped_not_fatal()
    {
        _kit.Prompts.Missing.Add("welcome");
        var call = _kit.Call().Press("1");
        var result = (await _kit.Run(call, "two-level"));
        Assert.Equal(FlowOutcome.Connected, result.Outcome);
        Assert.Equal(["main-menu"], call.AllPrompts);
    }

    [Fact]
    public async Task Record_keeps_the_recording_path_in_a_variable()
    {
        _kit.SaveFlow("""
        { "id": "rec", "start": "r", "nodes": {
            "r": { "type": "record", "prompts": ["speak"], "variable": "complaint", "maxSeconds": 60, "next": "bye" },
            "bye": { "type": "hangup", "prompts": ["thanks"] }
        } }
        """);
        var call = _kit.Call();
        await _kit.Run(call, "rec");
        var path = call.Variables["complaint"];
        Assert.StartsWith(Path.Combine(_kit.DataDirectory, "recordings", "flows", "rec"), path);
        Assert.True(File.Exists(path));
        Assert.Equal("3.0", call.Variables["complaint.seconds"]);
    }

    private sealed class RecordingQueue : ICallDestination
    {
        public List<RouteTarget> Targets { get; } = [];
        public string? Exit { get; init; }

        public Task RunAsync(ICallChannel call, RouteTarget target)
        {
            Targets.Add(target);
            if (Exit is not null) call.Variables[FlowVariables.QueueExit] = Exit;
            return Task.CompletedTask;
        }
    }
}
