using Hotline.Ivr.ContactCentre;
using Hotline.Ivr.ContactCentre.Engine;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;

namespace Hotline.Ivr.Tests.ContactCentre.Runtime;

public sealed class AgentAndDialTests
{
    private static async Task<FakeCallChannel> DialFeatureAsync(ContactCentreKit kit, string dialled, string fromPhone, string keys = "")
    {
        var call = kit.Switch.NewCall(fromPhone, dialled, fromPhone);
        call.Press(keys);
        await kit.Host.Features.RunAsync(call, new RouteTarget(RouteTargetKind.Feature, dialled)).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        return call;
    }

    [Fact]
    public async Task An_agent_logs_in_from_any_phone_with_number_and_PIN_and_is_bound_to_it()
    {
        await using var kit = new ContactCentreKit();
        var call = await DialFeatureAsync(kit, "*81", "1005", "5003#1003#");
        Assert.Equal(["answer", "play:agent/enter-number", "play:agent/enter-pin", "play:agent/logged-in", "hangup:0"], call.Log);
        var agent = (await kit.Agent("5003"))!;
        Assert.Equal((AgentState.Available, "1005"), (agent.State, agent.Phone));
        // The agent number may follow the code; then only the PIN is asked.
        await DialFeatureAsync(kit, "*815001", "1006", "1001#");
        Assert.Equal("1006", (await kit.Agent("5001"))!.Phone);
    }

    [Fact]
    public async Task A_wrong_PIN_fails_like_an_unknown_agent_and_repeated_failures_lock_the_agent_number()
    {
        await using var kit = new ContactCentreKit();
        var wrong = await DialFeatureAsync(kit, "*815003", "1003", "9999#");
        var unknown = await DialFeatureAsync(kit, "*817777", "1003", "1003#");
        Assert.Contains("agent/login-failed", wrong.Played);
        Assert.Equal(wrong.Played, unknown.Played);
        for (int i = 0; i < 4; i++) await DialFeatureAsync(kit, "*815003", "1003", "0000#");
        Assert.Equal(LoginResult.LockedOut, await kit.Host.Agents.LoginAsync("5003", "1003", "1003"));
        kit.Time.Advance(TimeSpan.FromSeconds(kit.Options.LockoutSeconds));
        Assert.Equal(LoginResult.LoggedIn, await kit.Host.Agents.LoginAsync("5003", "1003", "1003"));
    }

    [Fact]
    public async Task Pause_resume_and_logout_codes_act_on_the_agent_logged_in_at_that_phone()
    {
        await using var kit = new ContactCentreKit();
        await kit.LoginAsync("5003");
        await DialFeatureAsync(kit, "*832", "1003");
        var agent = (await kit.Agent("5003"))!;
        Assert.Equal((AgentState.Paused, "code-2"), (agent.State, agent.Reason));
        await DialFeatureAsync(kit, "*84", "1003");
        Assert.Equal(AgentState.Available, (await kit.Agent("5003"))!.State);
        var nobody = await DialFeatureAsync(kit, "*82", "1004");
        Assert.Contains("agent/not-allowed", nobody.Played);
        await DialFeatureAsync(kit, "*82", "1003");
        Assert.Equal(AgentState.LoggedOut, (await kit.Agent("5003"))!.State);
    }

    [Fact]
    public async Task A_login_on_a_phone_another_agent_holds_logs_that_agent_out()
    {
        await using var kit = new ContactCentreKit();
        Assert.Equal(LoginResult.LoggedIn, await kit.Host.Agents.LoginAsync("5001", "1003"));
        Assert.Equal(LoginResult.LoggedIn, await kit.Host.Agents.LoginAsync("5002", "1003"));
        Assert.Equal(AgentState.LoggedOut, (await kit.Agent("5001"))!.State);
        Assert.Equal("5002", await kit.Host.Agents.AgentOnPhoneAsync("1003"));
    }

    [Fact]
    public async Task Feature_codes_are_refused_for_calls_not_from_a_local_phone()
    {
        await using var kit = new ContactCentreKit();
        var call = kit.Switch.NewCall("13800000000", "*81");
        await kit.Host.Features.RunAsync(call, new RouteTarget(RouteTargetKind.Feature, "*81"));
        Assert.Equal(403, call.HangupStatus);
        Assert.False(kit.Host.Features.Handles("*97"));
    }

    [Fact]
    public async Task Logins_are_kept_in_the_store_and_restored_after_a_restart()
    {
        var repository = new InMemoryContactCentreRepository();
        await using (var kit = new ContactCentreKit(repository: repository))
        {
            await kit.LoginAsync("5002", "5004");
            await kit.Host.Agents.LoginAsync("5002", "1006");
            kit.Host.Agents.Logout("5004");
            await kit.Host.FlushAsync();
        }
        Assert.Equal([("5002", "1006")], repository.Sessions().Select(s => (s.Agent, s.Phone)));
        await using var restarted = new ContactCentreKit(repository: repository);
        await restarted.Host.FlushAsync();
        Assert.Equal((AgentState.Available, "1006"), ((await restarted.Agent("5002"))!.State, (await restarted.Agent("5002"))!.Phone));
        Assert.Equal(AgentState.LoggedOut, (await restarted.Agent("5004"))!.State);
    }

    [Fact]
    public async Task Click_to_dial_rings_the_agent_then_the_numbers_in_order_moving_on_at_busy_and_no_answer()
    {
        await using var kit = new ContactCentreKit();
        await kit.LoginAsync("5003");
        kit.Switch.Phones["1003"] = PhoneBehaviour.Answer;
        kit.Switch.Phones["13800000001"] = PhoneBehaviour.Busy;
        kit.Switch.Phones["13800000002"] = PhoneBehaviour.NoAnswer;
        var dial = kit.Host.ClickToDial.DialAsync(new ClickToDialRequest("5003", null, ["13800000001", "13800000002", "13800000003"], "12345",
            new Dictionary<string, string> { ["case_id"] = "W-9" }), TestContext.Current.CancellationToken);
        await kit.Switch.RingingAsync("13800000002");
        Assert.True((await kit.Agent("5003"))!.PhoneBusy); // no queue call while dialling out
        await kit.AdvanceAsync(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));
        var third = await kit.Switch.RingingAsync("13800000003");
        Assert.Equal(("12345", true), (third.Options!.CallerId, third.Options.Record));
        third.Answer();
        var result = await dial.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal((ClickToDialOutcome.Connected, "13800000003"), (result.Outcome, result.Number));
        Assert.Equal([ConnectOutcome.Busy, ConnectOutcome.NoAnswer, ConnectOutcome.Answered], result.Attempts.Select(a => a.Outcome));
        var agentLeg = kit.Switch.Rings[0];
        Assert.Equal(("1003", "13800000001", true), (agentLeg.Target.Value, agentLeg.Request!.CallerId, agentLeg.Request.Record));
        Assert.Equal("W-9", agentLeg.Channel!.Variables["case_id"]);
        agentLeg.Channel.HangUpFarEnd();
        await ContactCentreKit.Eventually(async () => !(await kit.Agent("5003"))!.PhoneBusy, "agent free for the queues again");
    }

    [Fact]
    public async Task Click_to_dial_goes_round_the_numbers_again_after_a_pause_then_gives_up()
    {
        await using var kit = new ContactCentreKit(o => o.ClickToDial = new ClickToDialOptions { Rounds = 2, RetryDelaySeconds = 60 });
        kit.Switch.Phones["1004"] = PhoneBehaviour.Answer;
        kit.Switch.Phones["13800000001"] = PhoneBehaviour.Busy;
        kit.Switch.Phones["13800000002"] = PhoneBehaviour.Fail;
        var dial = kit.Host.ClickToDial.DialAsync(new ClickToDialRequest(null, "1004", ["13800000001", "13800000002"]), TestContext.Current.CancellationToken);
        await ContactCentreKit.Eventually(() => kit.Switch.Rings.Count == 3, "first round");
        var agent = kit.Switch.Rings[0].Channel!;
        await ContactCentreKit.Eventually(() => agent.MusicOnHold, "music between rounds");
        await kit.AdvanceAsync(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10));
        var result = await dial.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(ClickToDialOutcome.NobodyAnswered, result.Outcome);
        Assert.Equal(4, result.Attempts.Count);
        Assert.True(agent.Ended.IsCancellationRequested);
        Assert.Contains("tone:Busy", agent.Log);
    }

    [Fact]
    public async Task Click_to_dial_for_an_agent_not_logged_in_rings_nobody()
    {
        await using var kit = new ContactCentreKit();
        var result = await kit.Host.ClickToDial.DialAsync(new ClickToDialRequest("5001", null, ["13800000001"]), TestContext.Current.CancellationToken);
        Assert.Equal(ClickToDialOutcome.NotLoggedIn, result.Outcome);
        Assert.Empty(kit.Switch.Rings);
        await Assert.ThrowsAsync<ArgumentException>(() => kit.Host.ClickToDial.DialAsync(new ClickToDialRequest(null, "1001", ["12;34"]), TestContext.Current.CancellationToken));
    }
}
