using Hotline.Media.Codecs;
using Hotline.Media.Dtmf;
using Hotline.Media.Mixing;
using Hotline.Media.Playback;
using Hotline.Media.Recording;
using Hotline.Media.Rtp;

namespace Hotline.Media.Engine;

/// <summary>
/// A room's mixing on its worker. Every tick each member's received frame (from its jitter buffer,
/// resampled to the room's rate) goes into the <see cref="AudioMixer"/> with what the room plays itself
/// (a tone, a prompt), and each member is sent what it hears, resampled back to its codec's rate: a
/// talker is heard by all, a listener by nobody, a whisperer by one member, a muted member by nobody.
/// A member with nothing this tick (not yet buffered, lost beyond concealment) is absent from the mix but
/// still hears. The mixed room (what a listener hears) can be recorded, and calls moved in from a bridge
/// keep their stereo recording going from this tick. Worker thread only; no allocation per frame.
/// </summary>
internal sealed partial class ConferenceCore : LegAttachment
{
    private readonly AudioMixer _mixer;
    private readonly List<Member> _members = [];
    private readonly List<MovedCall> _calls = [];
    private readonly short[] _scratch = new short[960];
    private readonly short[] _sourceFrame;
    private readonly Dictionary<AudioCodecInfo, CommonMixStream?> _commonStreams = [];

    public ConferenceCore(int sampleRate)
    {
        // Silent lines stay out of the mix, so everyone not talking hears the same common mix, encoded once
        // per codec for all of them (ConferenceCore.Shared.cs).
        _mixer = new AudioMixer(sampleRate) { GateSilence = true };
        _sourceFrame = new short[_mixer.SamplesPerFrame];
    }

    public int SampleRate => _mixer.SampleRate;
    public int Count => _members.Count;
    public AudioMixer Mixer => _mixer;

    /// <summary>Closed for good (the room was disposed): nobody joins any more.</summary>
    public bool Closed { get; private set; }

    /// <summary>No member and no moved call: the room may move to another worker.</summary>
    public bool IsEmpty => _members.Count == 0 && _calls.Count == 0;

    /// <summary>A leg in the room, as the worker sees it.</summary>
    internal sealed class Member(RtpLeg leg, MixerParticipant participant, ConferenceMember? handle)
    {
        public RtpLeg Leg { get; } = leg;
        public MixerParticipant Participant { get; } = participant;
        public ConferenceMember? Handle { get; } = handle;
        public Resampler? In { get; set; }
        public Resampler? Out { get; set; }
        public bool Present { get; set; } = true;

        /// <summary>Whether the member is sent the room's common mix encoded once for all (null: never, e.g. Opus or resampled).</summary>
        public CommonMixSubscription? Common { get; set; }
    }

    /// <summary>A two-party call moved in from its bridge: its stereo recording and the members carrying its legs.</summary>
    private readonly record struct MovedCall(CallRecording Recording, Member? Caller, Member? Callee);

    /// <summary>
    /// Worker thread: the leg joins as <paramref name="role"/> (a whisperer heard by <paramref name="heardOnlyBy"/>,
    /// or nobody), leaving whatever bridge or room it was in and whatever the engine played into it.
    /// Null when the room is closed. A leg already in the room stays as it is.
    /// </summary>
    public Member? Add(RtpLeg leg, ConferenceMember? handle, ConferenceRole role = ConferenceRole.Talker, Member? heardOnlyBy = null)
    {
        if (Closed)
            return null;
        var existing = Find(leg);
        if (existing is not null)
            return existing;
        // Our demand first: a bridge leaving drops its own, and the jitter buffer then need not restart.
        leg.AddPcmConsumer();
        if (leg.Attachment is { } previous && previous != this)
            previous.OnLegClosed(leg);
        leg.Attachment = this;
        // Music while waiting for the moderator, a ringback: the room's audio replaces it.
        leg.StopPlayback();
        var member = new Member(leg, _mixer.Add(leg), handle);
        SetRole(member, role, heardOnlyBy);
        Rate(member);
        _members.Add(member);
        return member;
    }

    /// <summary>Worker thread: the leg leaves (back to no attachment); false when it was not in the room.</summary>
    public bool Remove(RtpLeg leg)
    {
        var member = Find(leg);
        if (member is null)
            return false;
        _members.Remove(member);
        _mixer.Remove(member.Participant);
        member.Present = false;
        // Its far end followed the shared stream: whatever the leg sends next continues from that state.
        if (member.Common is { } common && leg.Encoder is { } encoder)
            common.Interrupt(encoder, long.MinValue);
        // An empty room may move to another worker, whose tick numbers are its own: start the shared streams afresh.
        if (_members.Count == 0)
            _commonStreams.Clear();
        leg.RemovePcmConsumer();
        if (leg.Attachment == this)
            leg.Attachment = null;
        member.Handle?.OnLeft();
        return true;
    }

    /// <summary>Worker thread: who hears <paramref name="member"/>. Takes effect at the next mix.</summary>
    public static void SetRole(Member member, ConferenceRole role, Member? heardOnlyBy)
    {
        var participant = member.Participant;
        switch (role)
        {
            case ConferenceRole.Talker:
                participant.ClearAudibilityRestriction();
                break;
            case ConferenceRole.Whisperer when heardOnlyBy is { Present: true } && heardOnlyBy != member:
                participant.SetHeardOnlyBy(heardOnlyBy.Participant);
                break;
            default:
                // A listener, or a whisperer with nobody (left) to whisper to: heard by no one, never by everyone.
                participant.SetListener();
                break;
        }
    }

    /// <summary>
    /// Worker thread: both legs of a bridged call join as talkers and its recording (if any) goes on from
    /// this room's tick, caller left, callee right, each leg's received audio as before.
    /// </summary>
    public (Member? Caller, Member? Callee) AdoptCall(BridgeCore bridge, ConferenceMember? callerHandle, ConferenceMember? calleeHandle)
    {
        if (Closed)
            return (null, null);
        // Our PCM demand before the bridge drops its own: the legs' jitter buffers carry on without a restart.
        bridge.Caller.AddPcmConsumer();
        bridge.Callee.AddPcmConsumer();
        var recording = bridge.Surrender();
        var caller = bridge.Caller.IsClosed ? null : Add(bridge.Caller, callerHandle);
        var callee = bridge.Callee.IsClosed ? null : Add(bridge.Callee, calleeHandle);
        bridge.Caller.RemovePcmConsumer();
        bridge.Callee.RemovePcmConsumer();
        if (recording is not null && (caller is not null || callee is not null) && !recording.Recorder.IsStopped)
        {
            recording.Plan();
            _calls.Add(new MovedCall(recording, caller, callee));
        }
        return (caller, callee);
    }

    /// <summary>Worker thread: everyone leaves, what plays stops, the mixed recording is handed back to be finalised; the room is closed.</summary>
    public WavRecorder? Close()
    {
        Closed = true;
        while (_members.Count > 0)
            Remove(_members[^1].Leg);
        _calls.Clear();
        StopTone();
        StopPrompt(null);
        return StopRecording();
    }

    internal override void Tick(TimeSpan now, long tick)
    {
        if (_members.Count == 0 && !Playing && _recorder is null)
            return;
        for (int i = 0; i < _members.Count; i++)
        {
            var member = _members[i];
            var frame = member.Leg.TickFrame;
            if (frame.IsEmpty || member.In is null)
                member.Participant.MarkAbsent();
            else
                member.Participant.SetInput(Convert(frame, member.In));
        }
        ReadSources();
        WriteMovedCalls(tick);
        _mixer.Mix();
        for (int i = 0; i < _members.Count; i++)
            Send(_members[i], tick, now);
        if (_recorder is not null)
            _recorder.Write(_recordTap!.Output);
    }

    // Each leg's own audio, as before the move: the call's recording does not change character in a room.
    private void WriteMovedCalls(long tick)
    {
        for (int i = _calls.Count - 1; i >= 0; i--)
        {
            var call = _calls[i];
            if (call.Recording.Recorder.IsStopped)
            {
                // The bridge was disposed (the call ended): its recording is finalised, nothing more to write.
                _calls.RemoveAt(i);
                continue;
            }
            call.Recording.Write(call.Caller is { Present: true } caller ? caller.Leg.TickFrame : default,
                call.Callee is { Present: true } callee ? callee.Leg.TickFrame : default, tick);
        }
    }

    // A room neither relays packets nor forwards digits: members' digits are reported by their endpoints.
    internal override void OnAudio(RtpLeg from, in RtpHeader header, ReadOnlySpan<byte> payload, TimeSpan now)
    {
    }

    internal override void OnEventPacket(RtpLeg from, in RtpHeader header, ReadOnlySpan<byte> payload, TimeSpan now)
    {
    }

    internal override void OnDigitEvent(RtpLeg from, in DtmfDigitEvent digit, TimeSpan now)
    {
    }

    internal override void OnLegChanged(RtpLeg leg, TimeSpan now)
    {
        if (Find(leg) is not { } member)
            return;
        Rate(member);
        foreach (var call in _calls)
        {
            if (call.Caller == member || call.Callee == member)
                call.Recording.Plan();
        }
    }

    internal override void OnLegClosed(RtpLeg leg) => Remove(leg);

    internal Member? Find(RtpLeg leg)
    {
        foreach (var member in _members)
            if (member.Leg == leg)
                return member;
        return null;
    }

    private void Rate(Member member)
    {
        if (!member.Leg.IsNegotiated)
            return;
        int rate = member.Leg.SampleRate;
        if (member.In is null || member.In.InputRate != rate)
        {
            member.In = new Resampler(rate, _mixer.SampleRate);
            member.Out = new Resampler(_mixer.SampleRate, rate);
        }
        Subscribe(member);
    }

    private ReadOnlySpan<short> Convert(ReadOnlySpan<short> frame, Resampler resampler)
    {
        if (resampler.InputRate == resampler.OutputRate)
            return frame;
        int n = resampler.Process(frame, _scratch);
        return _scratch.AsSpan(0, n);
    }
}
