using Hotline.Media.Codecs;
using Hotline.Media.Mixing;

namespace Hotline.Media.Engine;

// Sending each member what it hears. Members in the mix (talking) get their own mix-minus encoded with their
// leg's encoder; everyone else hears the same common mix, encoded once per codec and sent to all of them as
// the same payload under each leg's own RTP header. Sharing is for members whose codec runs at the room's
// rate with 20 ms frames (no resampler, whose history would differ) and whose codec CommonMixStream can
// switch exactly: G.711, L16 and G.722, not Opus. See CommonMixStream for how the switches stay exact.
internal sealed partial class ConferenceCore
{
    /// <summary>Shared payloads encoded, over all codecs (one per codec per tick at most).</summary>
    public long CommonEncodes
    {
        get
        {
            long total = 0;
            foreach (var stream in _commonStreams.Values)
                total += stream?.Encoded ?? 0;
            return total;
        }
    }

    private void Send(Member member, long tick, TimeSpan now)
    {
        if (member.Out is null)
            return;
        var leg = member.Leg;
        var common = member.Common;
        var encoder = leg.Encoder;
        if (common is not null && encoder is not null && common.TryTake(member.Participant, encoder, tick, out var payload))
        {
            if (!leg.SendEncodedFrame(payload, tick, now))
                common.Interrupt(encoder, tick);
            return;
        }
        leg.SendAudioFrame(Convert(member.Participant.Output, member.Out), tick, now);
        // Only a frame the leg actually coded and sent moves its far end along (not on hold, no prompt of its own).
        if (common is not null && encoder is not null && leg.CanSend && !leg.Overridden)
            common.EncodedPrivately(member.Participant, encoder, tick);
    }

    // On joining and whenever the leg's codec may have changed: the shared stream of its codec, if any.
    private void Subscribe(Member member)
    {
        var leg = member.Leg;
        var codec = leg.Codec;
        if (member.Common is { IsShared: true } old && leg.Encoder is { } encoder)
            old.Interrupt(encoder, long.MinValue);
        member.Common = null;
        if (codec is null || codec.SampleRate != _mixer.SampleRate || leg.FrameSamples != _mixer.SamplesPerFrame)
            return;
        if (!_commonStreams.TryGetValue(codec, out var stream))
        {
            stream = CommonMixStream.Create(codec, _mixer.SamplesPerFrame);
            _commonStreams.Add(codec, stream);
        }
        if (stream is not null)
            member.Common = new CommonMixSubscription(stream);
    }
}
