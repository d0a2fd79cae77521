using Hotline.Ivr.Calls;
using Hotline.Ivr.Tests.Support;
using Hotline.Ivr.Voicemail;

namespace Hotline.Ivr.Tests.Voicemail;

public sealed class VoicemailCallTests : IDisposable
{
    private readonly IvrTestKit _kit = new();

    public VoicemailCallTests() => _kit.Voicemail.SaveMailbox(new Mailbox { Id = "1001", Name = "Wang", MaxMessages = 3 }, "2468");

    public void Dispose() => _kit.Dispose();

    private VoicemailMessage Leave(string caller)
    {
        var call = _kit.Call(caller, "1001");
        return _kit.VoicemailCalls.LeaveMessageAsync(call, "1001", ct: TestContext.Current.CancellationToken).Result!;
    }

    [Fact]
    public async Task Leaving_a_message_plays_the_greeting_records_after_a_beep_and_files_it()
    {
        var call = _kit.Call("13800138000", "1001");
        var message = await _kit.VoicemailCalls.LeaveMessageAsync(call, "1001", ct: TestContext.Current.CancellationToken);
        Assert.NotNull(message);
        Assert.Equal(["answer", "play:vm-greeting", "record", "play:vm-thanks"], call.Log);
        var path = _kit.Voicemail.FilePath(message);
        Assert.StartsWith(Path.Combine(_kit.DataDirectory, "voicemail", "1001"), path);
        Assert.Contains("13800138000", Path.GetFileName(path));
        Assert.True(new FileInfo(path).Length > 44);
    }

    [Fact]
    public async Task A_caller_who_hangs_up_instead_of_pressing_pound_still_leaves_the_message()
    {
        var call = _kit.Call("13800138000", "1001");
        call.HangUpWhileRecording = true;
        var message = await _kit.VoicemailCalls.LeaveMessageAsync(call, "1001", ct: TestContext.Current.CancellationToken);
        Assert.NotNull(message);
        Assert.Equal(3, message.Duration.TotalSeconds, 1);
        Assert.Single(_kit.Voicemail.List("1001"));
    }

    [Fact]
    public async Task A_recording_shorter_than_the_minimum_is_not_kept()
    {
        var call = _kit.Call("13800138000", "1001");
        call.RecordSeconds = 0.4;
        call.HangUpWhileRecording = true;
        Assert.Null(await _kit.VoicemailCalls.LeaveMessageAsync(call, "1001", ct: TestContext.Current.CancellationToken));
        Assert.Empty(_kit.Voicemail.List("1001"));
        Assert.Empty(Directory.GetFiles(Path.Combine(_kit.DataDirectory, "voicemail", "1001")));
    }

    [Fact]
    public async Task A_full_box_says_so_and_records_nothing()
    {
        Leave("1"); Leave("2"); Leave("3");
        var call = _kit.Call("4", "1001");
        Assert.Null(await _kit.VoicemailCalls.LeaveMessageAsync(call, "1001", ct: TestContext.Current.CancellationToken));
        Assert.Equal([SystemPrompts.VoicemailBoxFull, SystemPrompts.Goodbye], call.AllPrompts);
        Assert.Empty(call.Recordings);
    }

    [Fact]
    public async Task Retrieval_needs_the_PIN_then_plays_new_messages_first()
    {
        var old = Leave("13900000001");
        _kit.Voicemail.MarkRead("1001", old.Id);
        _kit.Time.Advance(TimeSpan.FromMinutes(1));
        var fresh = Leave("13900000002");
        var call = _kit.Call("1001", "*97").Press("1111#").Press("2468#").Press("9").Press("7");
        await _kit.VoicemailCalls.RetrieveAsync(call, "1001", TestContext.Current.CancellationToken);
        var played = call.AllPrompts.ToList();
        Assert.Contains(SystemPrompts.VoicemailLoginIncorrect, played);
        // "You have 1 new messages, and 1 saved messages", then the new one's envelope and audio.
        var summary = played.IndexOf(SystemPrompts.VoicemailYouHave);
        Assert.Equal(["vm-you-have", "digits/1", "vm-new-messages", "digits/1", "vm-old-messages", "vm-message-from",
            .. "13900000002".Select(d => "digits/" + d)], played.Skip(summary).Take(17));
        Assert.Contains(_kit.Voicemail.FilePath(fresh), played);
        var after = _kit.Voicemail.List("1001");
        Assert.True(after.Single(m => m.Id == fresh.Id) is { Read: true, Saved: true });
        Assert.DoesNotContain(after, m => m.Id == old.Id);
        Assert.False(File.Exists(_kit.Voicemail.FilePath(old)));
        Assert.Equal(SystemPrompts.Goodbye, played[^1]);
    }

    [Fact]
    public async Task Three_wrong_PINs_end_the_call()
    {
        Leave("13900000001");
        var call = _kit.Call("1001", "*98").Press("1001#").Press("0000#").Press("1001#").Press("1111#").Press("1001#").Press("2222#");
        await _kit.VoicemailCalls.RetrieveAsync(call, null, TestContext.Current.CancellationToken);
        Assert.Equal(3, call.AllPrompts.Count(p => p == SystemPrompts.VoicemailLoginIncorrect));
        Assert.DoesNotContain(SystemPrompts.VoicemailYouHave, call.AllPrompts);
        Assert.False(_kit.Voicemail.List("1001").Single().Read);
    }

    [Fact]
    public void The_API_lists_marks_read_and_deletes_with_MWI_changes()
    {
        var changes = new List<string>();
        _kit.Voicemail.MailboxChanged += changes.Add;
        var m = Leave("13900000001");
        Assert.Equal(1, _kit.Voicemail.Summary(_kit.Voicemail.GetMailbox("1001")!).New);
        _kit.Voicemail.MarkRead("1001", m.Id);
        Assert.Equal((0, 1), (_kit.Voicemail.Summary(_kit.Voicemail.GetMailbox("1001")!).New, _kit.Voicemail.Summary(_kit.Voicemail.GetMailbox("1001")!).Old));
        _kit.Voicemail.MarkRead("1001", m.Id);
        Assert.Null(_kit.Voicemail.MarkRead("12345", m.Id));
        Assert.True(_kit.Voicemail.Delete("1001", m.Id));
        Assert.Equal(["1001", "1001", "1001"], changes);
    }

    [Fact]
    public void PINs_are_kept_only_as_salted_hashes()
    {
        var box = _kit.Voicemail.GetMailbox("1001")!;
        Assert.DoesNotContain("2468", box.PinHash);
        Assert.True(box.VerifyPin("2468"));
        Assert.False(box.VerifyPin("2469"));
        var again = _kit.Voicemail.SaveMailbox(box with { Name = "Renamed", PinHash = "", PinSalt = "" });
        Assert.True(again.VerifyPin("2468"));
        Assert.Throws<IvrValidationException>(() => _kit.Voicemail.SaveMailbox(box, "12"));
    }
}
