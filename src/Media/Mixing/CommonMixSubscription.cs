using Hotline.Media.Codecs;

namespace Hotline.Media.Mixing;

/// <summary>
/// Whether one participant's outgoing stream carries the shared payload of a <see cref="CommonMixStream"/> or
/// its own encoding, tick by tick. Each tick after <see cref="AudioMixer.Mix"/>: <see cref="TryTake"/>; if it
/// gives no payload, the caller encodes <see cref="MixerParticipant.Output"/> with the participant's own
/// encoder and then calls <see cref="EncodedPrivately"/>; if a taken payload could not be sent, it calls
/// <see cref="Interrupt"/>. What each switch costs the far end's decoder is in <see cref="CommonMixStream"/>.
/// </summary>
public sealed class CommonMixSubscription(CommonMixStream? stream, int maxWaitFrames = CommonMixSubscription.DefaultMaxWaitFrames)
{
    /// <summary>
    /// Frames a member hearing the common mix is coded on its own before it joins the shared stream out of
    /// step. One: it joins after its first such frame. Waiting longer rarely helps: two G.722 encoders fed the
    /// same signal from different states did not fall into step in our measurements, not over a second of a
    /// steady tone nor of silence, and meanwhile each waiting member costs an encoding.
    /// </summary>
    public const int DefaultMaxWaitFrames = 1;

    private int _waited;

    /// <summary>The shared stream of the participant's codec, or null when it cannot be shared.</summary>
    public CommonMixStream? Stream { get; } = stream;

    /// <summary>The participant's far end follows the shared stream: it is sent the shared payload while it hears the common mix.</summary>
    public bool IsShared { get; private set; }

    /// <summary>Times the participant moved onto the shared stream.</summary>
    public long Joins { get; private set; }

    /// <summary>Of <see cref="Joins"/>, those made out of step after waiting the longest allowed (the far end's decoder re-converges).</summary>
    public long JoinsOutOfStep { get; private set; }

    /// <summary>
    /// This tick's shared payload when the participant is on the shared stream and hears the common mix.
    /// A participant on the shared stream that no longer hears it leaves, its own encoder taking over the
    /// state its far end has followed.
    /// </summary>
    public bool TryTake(MixerParticipant participant, IAudioEncoder own, long tick, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        if (Stream is null)
            return false;
        if (!participant.HearsCommonMix)
        {
            Interrupt(own, tick);
            return false;
        }
        // Encoded for a participant still on its own stream too: it joins once its encoder follows this one.
        var shared = Stream.Encode(participant.Mixer.CommonMix, tick);
        if (!IsShared || shared.IsEmpty)
            return false;
        payload = shared;
        return true;
    }

    /// <summary>The participant's own encoder coded this tick's output: it joins the shared stream from the next tick if its far end would follow it exactly.</summary>
    public void EncodedPrivately(MixerParticipant participant, IAudioEncoder own, long tick)
    {
        if (Stream is null || IsShared)
            return;
        if (!participant.HearsCommonMix)
        {
            _waited = 0;
            return;
        }
        bool inStep = Stream.Follows(own, tick);
        if (!inStep && ++_waited < maxWaitFrames)
            return;
        IsShared = true;
        _waited = 0;
        Joins++;
        if (!inStep)
            JoinsOutOfStep++;
    }

    /// <summary>
    /// The participant's far end did not get this tick's shared payload (not sent: on hold, a prompt or DTMF of
    /// its own plays), or it stops hearing the common mix, or leaves the mixer: back on its own encoder, from
    /// the state its far end followed last. <paramref name="tick"/>: the tick being sent, or
    /// <see cref="long.MinValue"/> between ticks.
    /// </summary>
    public void Interrupt(IAudioEncoder own, long tick)
    {
        if (!IsShared)
            return;
        IsShared = false;
        Stream!.HandOver(own, tick);
    }
}
