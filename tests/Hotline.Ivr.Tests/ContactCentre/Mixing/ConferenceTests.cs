using Hotline.Ivr.Tests.ContactCentre.Runtime;
using Hotline.Ivr.ContactCentre;
using Hotline.Ivr.ContactCentre.Mixing;
using Hotline.Switch.Routing;

namespace Hotline.Ivr.Tests.ContactCentre.Mixing;

public sealed class ConferenceTests
{
    private static readonly double[] Tones = [400, 700, 1100, 1500, 1900];

    private static (ContactCentreKit Kit, FakeConferenceMedia Media) Kit(Action<ContactCentreOptions>? configure = null)
    {
        var media = new FakeConferenceMedia();
        return (new ContactCentreKit(configure, media), media);
    }

    private static (FakeCallChannel Call, Task Running) Join(ContactCentreKit kit, string caller, string keys = "", string room = "8100")
    {
        var call = kit.Switch.NewCall(caller, room, caller);
        call.Press(keys);
        return (call, Task.Run(() => kit.Host.Conferences!.RunAsync(call, new RouteTarget(RouteTargetKind.Conference, room))));
    }

    [Fact]
    public async Task Five_participants_each_hear_the_other_four_tones_and_not_their_own()
    {
        var (kit, media) = Kit();
        await using var _ = kit;
        var calls = Enumerable.Range(0, 5).Select(i => Join(kit, $"100{i + 1}")).ToList();
        await ContactCentreKit.Eventually(() => kit.Host.Conferences!.Room("8100")?.Participants.Count == 5, "five in the room");
        var room = media.Room("conference-8100");
        foreach (var m in room.Members) m.Frequency = Tones[int.Parse(m.Party[^1..]) - 1];
        room.Tick();
        foreach (var m in room.Members)
        {
            var own = m.Frequency;
            Assert.Equal(Tones.Where(t => t != own), m.Hears(Tones));
        }
        Assert.Equal(5, room.Log.Count(l => l == "tone:Join"));
        foreach (var (call, running) in calls)
        {
            call.HangUpFarEnd();
            await running.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        }
        Assert.Equal(5, room.Log.Count(l => l == "tone:Leave"));
        Assert.True(room.Disposed);
        Assert.Null(kit.Host.Conferences!.Room("8100"));
    }

    [Fact]
    public async Task A_muted_participant_is_heard_by_nobody_but_still_hears_and_star_toggles_ones_own_mute()
    {
        var (kit, media) = Kit();
        await using var _ = kit;
        var a = Join(kit, "1001");
        var b = Join(kit, "1002");
        await ContactCentreKit.Eventually(() => kit.Host.Conferences!.Room("8100")?.Participants.Count == 2, "two in the room");
        var room = media.Room("conference-8100");
        var ma = room.Members.Single(m => m.Party == "1001");
        var mb = room.Members.Single(m => m.Party == "1002");
        (ma.Frequency, mb.Frequency) = (400, 700);
        Assert.True(kit.Host.Conferences!.Mute("8100", a.Call.CallId, true));
        room.Tick();
        Assert.Empty(mb.Hears(400));
        Assert.Equal([700.0], ma.Hears(700));
        Assert.True(kit.Host.Conferences.Room("8100")!.Participants.Single(p => p.CallId == a.Call.CallId).Muted);
        a.Call.Press("*");
        await ContactCentreKit.Eventually(() => !ma.Muted, "unmuted by *");
        room.Tick();
        Assert.Equal([400.0], mb.Hears(400));
        a.Call.HangUpFarEnd();
        b.Call.HangUpFarEnd();
        await Task.WhenAll(a.Running, b.Running).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_kicked_participant_is_hung_up_and_the_rest_stay()
    {
        var (kit, media) = Kit();
        await using var _ = kit;
        var a = Join(kit, "1001");
        var b = Join(kit, "1002");
        await ContactCentreKit.Eventually(() => kit.Host.Conferences!.Room("8100")?.Participants.Count == 2, "two in the room");
        Assert.True(await kit.Host.Conferences!.KickAsync("8100", b.Call.CallId));
        await b.Running.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.True(b.Call.Ended.IsCancellationRequested);
        Assert.Equal([a.Call.CallId], kit.Host.Conferences.Room("8100")!.Participants.Select(p => p.CallId));
        Assert.False(await kit.Host.Conferences.KickAsync("8100", "nobody"));
        a.Call.HangUpFarEnd();
        await a.Running.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task PINs_admit_participants_make_the_moderator_and_three_wrong_tries_end_the_call()
    {
        var (kit, media) = Kit(o => o.Rooms[0] = new ConferenceRoomDefinition
        {
            Number = "8100", Pin = "1234", ModeratorPin = "9999", WaitForModerator = true, Record = true,
        });
        await using var _ = kit;
        var wrong = Join(kit, "1003", "1#2#3#");
        await wrong.Running.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(3, wrong.Call.Played.Count(p => p == "conference/bad-pin"));
        Assert.True(wrong.Call.Ended.IsCancellationRequested);

        var participant = Join(kit, "1001", "1234#");
        await ContactCentreKit.Eventually(() => participant.Call.MusicOnHold, "waiting for the moderator with music");
        Assert.Contains("conference/wait-for-moderator", participant.Call.Played);
        Assert.Empty(kit.Host.Conferences!.Room("8100")!.Participants);
        var moderator = Join(kit, "1002", "9999#");
        await ContactCentreKit.Eventually(() => kit.Host.Conferences.Room("8100")?.Participants.Count == 2, "both in once the moderator came");
        var state = kit.Host.Conferences.Room("8100")!;
        Assert.True(state.Participants.Single(p => p.Caller == "1002").Moderator);
        Assert.False(state.Participants.Single(p => p.Caller == "1001").Moderator);
        Assert.Matches(@"^/tmp/hl-acd-recordings/conference/\d{4}/\d{2}/\d{2}/8100-\d{6}\.wav$", state.RecordingPath);
        var room = media.Room("conference-8100");
        participant.Call.HangUpFarEnd();
        moderator.Call.HangUpFarEnd();
        await Task.WhenAll(participant.Running, moderator.Running).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Contains(room.Log, l => l.StartsWith("recorded:/tmp/hl-acd-recordings/conference/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_full_room_turns_callers_away()
    {
        var (kit, _) = Kit(o => o.Rooms[0].MaxParticipants = 2);
        await using var __ = kit;
        var a = Join(kit, "1001");
        var b = Join(kit, "1002");
        await ContactCentreKit.Eventually(() => kit.Host.Conferences!.Room("8100")?.Participants.Count == 2, "two in the room");
        var c = Join(kit, "1003");
        await c.Running.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Contains("conference/full", c.Call.Played);
        a.Call.HangUpFarEnd();
        b.Call.HangUpFarEnd();
        await Task.WhenAll(a.Running, b.Running).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }
}
