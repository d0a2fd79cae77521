using Hotline.Ivr.Blacklist;
using Hotline.Ivr.Engine;
using Hotline.Ivr.Tests.Support;
using Hotline.Ivr.Voicemail;

namespace Hotline.Ivr.Tests.Blacklist;

public sealed class BlacklistTests : IDisposable
{
    private readonly IvrTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [Theory]
    [InlineData("13812345678", "13812345678")]
    [InlineData("+8613812345678", "13812345678")]
    [InlineData("008613812345678", "13812345678")]
    [InlineData("8613812345678", "13812345678")]
    [InlineData("+86 10 6512 3456", "01065123456")]
    [InlineData("01065123456", "01065123456")]
    [InlineData("+14155550100", "0014155550100")]
    [InlineData("0014155550100", "0014155550100")]
    [InlineData("anonymous", "")]
    [InlineData("", "")]
    public void Numbers_are_compared_in_national_form(string caller, string national) =>
        Assert.Equal(national, CallerNumbers.Normalise(caller));

    [Fact]
    public void An_exact_entry_catches_every_spelling_of_the_number_and_counts_hits()
    {
        _kit.Blacklist.Save(new BlacklistEntry { Kind = BlacklistKind.Exact, Number = "+86 138 1234 5678", Reason = "harassment" });
        Assert.Null(_kit.Blacklist.Check("13812345679"));
        Assert.NotNull(_kit.Blacklist.Check("13812345678"));
        _kit.Time.Advance(TimeSpan.FromMinutes(5));
        var hit = _kit.Blacklist.Check("008613812345678");
        Assert.NotNull(hit);
        Assert.Equal(2, hit.Hits);
        Assert.Equal(_kit.Time.GetUtcNow(), hit.LastHit);
        Assert.Equal(2, _kit.Blacklist.List().Single().Hits);
    }

    [Fact]
    public void The_longest_prefix_wins_and_an_exact_entry_beats_any_prefix()
    {
        _kit.Blacklist.Save(new BlacklistEntry { Kind = BlacklistKind.Prefix, Number = "0755", Reason = "short" });
        _kit.Blacklist.Save(new BlacklistEntry { Kind = BlacklistKind.Prefix, Number = "075588*", Reason = "long", Action = BlacklistAction.Notice, NoticePrompt = "n" });
        _kit.Blacklist.Save(new BlacklistEntry { Kind = BlacklistKind.Exact, Number = "075588001122", Reason = "exact", Action = BlacklistAction.Voicemail });
        Assert.Equal("short", _kit.Blacklist.Find("075512345678")!.Reason);
        Assert.Equal("long", _kit.Blacklist.Find("075588999999")!.Reason);
        Assert.Equal("exact", _kit.Blacklist.Find("+8675588001122")!.Reason);
        Assert.Null(_kit.Blacklist.Find("02012345678"));
    }

    [Fact]
    public void Anonymous_callers_match_an_anonymous_entry_only()
    {
        _kit.Blacklist.Save(new BlacklistEntry { Kind = BlacklistKind.Anonymous, Reason = "no caller id" });
        Assert.NotNull(_kit.Blacklist.Find("anonymous"));
        Assert.NotNull(_kit.Blacklist.Find("Restricted"));
        Assert.NotNull(_kit.Blacklist.Find(""));
        Assert.Null(_kit.Blacklist.Find("13812345678"));
    }

    [Fact]
    public void An_expired_entry_no_longer_matches()
    {
        _kit.Blacklist.Save(new BlacklistEntry { Kind = BlacklistKind.Exact, Number = "13812345678", ExpiresAt = _kit.Time.GetUtcNow().AddDays(7) });
        _kit.Time.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.NotNull(_kit.Blacklist.Find("13812345678"));
        _kit.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(_kit.Blacklist.Find("13812345678"));
    }

    [Fact]
    public void A_scoped_entry_applies_to_its_hotline_only()
    {
        _kit.Blacklist.Save(new BlacklistEntry { Kind = BlacklistKind.Exact, Number = "13812345678", Scope = "12345" });
        Assert.NotNull(_kit.Blacklist.Find("13812345678", "12345"));
        Assert.Null(_kit.Blacklist.Find("13812345678", "12315"));
        Assert.Null(_kit.Blacklist.Find("13812345678"));
    }

    [Fact]
    public void Refuses_entries_that_would_block_everyone_or_make_no_sense()
    {
        Assert.Throws<IvrValidationException>(() => _kit.Blacklist.Save(new BlacklistEntry { Kind = BlacklistKind.Prefix, Number = "1" }));
        Assert.Throws<IvrValidationException>(() => _kit.Blacklist.Save(new BlacklistEntry { Kind = BlacklistKind.Exact, Number = "" }));
        Assert.Throws<IvrValidationException>(() => _kit.Blacklist.Save(new BlacklistEntry { Kind = BlacklistKind.Exact, Number = "1381", Action = BlacklistAction.Notice }));
        Assert.Throws<IvrValidationException>(() => _kit.Blacklist.Save(new BlacklistEntry { Kind = BlacklistKind.Exact, Number = "1381", Status = 200 }));
    }

    private const string Guarded = """
    { "id": "guarded", "start": "bl", "nodes": {
        "bl": { "type": "blacklist", "next": "hello" },
        "hello": { "type": "play", "prompts": ["welcome"] }
    } }
    """;

    [Fact]
    public async Task A_listed_caller_is_rejected_603_before_answer_and_an_unlisted_one_goes_through()
    {
        _kit.SaveFlow(Guarded);
        _kit.Blacklist.Save(new BlacklistEntry { Kind = BlacklistKind.Exact, Number = "13812345678" });
        var listed = _kit.Call("13812345678");
        await _kit.Run(listed, "guarded");
        Assert.False(listed.Answered);
        Assert.Equal(603, listed.HangupStatus);
        Assert.Empty(listed.Played);
        var other = _kit.Call("13900000000");
        await _kit.Run(other, "guarded");
        Assert.Equal(["welcome"], other.AllPrompts);
    }

    [Fact]
    public async Task A_notice_entry_plays_its_notice_then_hangs_up()
    {
        _kit.SaveFlow(Guarded);
        _kit.Blacklist.Save(new BlacklistEntry { Kind = BlacklistKind.Prefix, Number = "0755", Action = BlacklistAction.Notice, NoticePrompt = "you-are-blocked" });
        var call = _kit.Call("075512345678");
        var result = await _kit.Run(call, "guarded");
        Assert.Equal(FlowOutcome.HungUp, result.Outcome);
        Assert.Equal(["answer", "play:you-are-blocked", "hangup"], call.Log);
    }

    [Fact]
    public async Task A_voicemail_entry_takes_a_message_in_the_hotlines_box()
    {
        _kit.SaveFlow(Guarded);
        _kit.Voicemail.SaveMailbox(new Mailbox { Id = "12345" });
        _kit.Blacklist.Save(new BlacklistEntry { Kind = BlacklistKind.Anonymous, Action = BlacklistAction.Voicemail });
        var call = _kit.Call("anonymous");
        await _kit.Run(call, "guarded", scope: "12345");
        Assert.Equal("anonymous", Assert.Single(_kit.Voicemail.List("12345")).Caller);
    }

    [Fact]
    public async Task A_blacklist_node_with_onListed_lets_the_flow_decide()
    {
        _kit.SaveFlow("""
        { "id": "soft", "start": "bl", "nodes": {
            "bl": { "type": "blacklist", "onListed": "warn", "next": "hello" },
            "warn": { "type": "play", "prompts": ["warning"], "next": "hello" },
            "hello": { "type": "play", "prompts": ["welcome"] }
        } }
        """);
        _kit.Blacklist.Save(new BlacklistEntry { Kind = BlacklistKind.Exact, Number = "13812345678", Reason = "rude" });
        var call = _kit.Call("13812345678");
        await _kit.Run(call, "soft");
        Assert.Equal(["warning", "welcome"], call.AllPrompts);
        Assert.Equal("rude", call.Variables["blacklist.reason"]);
    }
}
