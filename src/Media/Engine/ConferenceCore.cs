using Hotline.Media.Codecs;
using Hotline.Media.Dtmf;
using Hotline.Media.Mixing;
using Hotline.Media.Rtp;

namespace Hotline.Media.Engine;

/// <summary>
/// A room's mixing on its worker: every tick each member's received frame (from its jitter buffer,
/// resampled to the room's rate) goes into the <see cref="AudioMixer"/>, and each member is sent what it
/// hears, everyone but itself, resampled back to its codec's rate. A member with nothing this tick (not
/// yet buffered, lost beyond concealment) is absent from the mix but still hears the others.
/// No allocation per frame.
/// </summary>
internal sealed class ConferenceCore : LegAttachment
{
    private readonly AudioMixer _mixer;
    private readonly List<Member> _members = [];
    private readonly short[] _scratch = new short[960];

    public ConferenceCore(int sampleRate)
    {
        _mixer = new AudioMixer(sampleRate);
    }

    public int SampleRate => _mixer.SampleRate;
    public int Count => _members.Count;
    public AudioMixer Mixer => _mixer;

    private sealed class Member(RtpLeg leg, MixerParticipant participant)
    {
        public RtpLeg Leg { get; } = leg;
        public MixerParticipant Participant { get; } = participant;
        public Resampler? In { get; set; }
        public Resampler? Out { get; set; }
    }

    /// <summary>Worker thread: the leg joins (leaving whatever bridge or room it was in).</summary>
    public MixerParticipant Add(RtpLeg leg)
    {
        var existing = Find(leg);
        if (existing is not null)
            return existing.Participant;
        if (leg.Attachment is { } previous && previous != this)
            previous.OnLegClosed(leg);
        leg.Attachment = this;
        leg.AddPcmConsumer();
        var member = new Member(leg, _mixer.Add(leg));
        Rate(member);
        _members.Add(member);
        return member.Participant;
    }

    /// <summary>Worker thread: the leg leaves; false when it was not in the room.</summary>
    public bool Remove(RtpLeg leg)
    {
        var member = Find(leg);
        if (member is null)
            return false;
        _members.Remove(member);
        _mixer.Remove(member.Participant);
        leg.RemovePcmConsumer();
        if (leg.Attachment == this)
            leg.Attachment = null;
        return true;
    }

    /// <summary>Worker thread: everyone leaves.</summary>
    public void Clear()
    {
        while (_members.Count > 0)
            Remove(_members[^1].Leg);
    }

    internal override void Tick(TimeSpan now, long tick)
    {
        if (_members.Count == 0)
            return;
        foreach (var member in _members)
        {
            var frame = member.Leg.TickFrame;
            if (frame.IsEmpty || member.In is null)
                member.Participant.MarkAbsent();
            else
                member.Participant.SetInput(Convert(frame, member.In));
        }
        _mixer.Mix();
        foreach (var member in _members)
        {
            if (member.Out is not null)
                member.Leg.SendAudioFrame(Convert(member.Participant.Output, member.Out), tick, now);
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
        if (Find(leg) is { } member)
            Rate(member);
    }

    internal override void OnLegClosed(RtpLeg leg) => Remove(leg);

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
    }

    private ReadOnlySpan<short> Convert(ReadOnlySpan<short> frame, Resampler resampler)
    {
        if (resampler.InputRate == resampler.OutputRate)
            return frame;
        int n = resampler.Process(frame, _scratch);
        return _scratch.AsSpan(0, n);
    }

    private Member? Find(RtpLeg leg)
    {
        foreach (var member in _members)
            if (member.Leg == leg)
                return member;
        return null;
    }
}
