using Hotline.Media.Codecs;

namespace Hotline.Media.Mixing;

/// <summary>
/// Whether one participant's outgoing stream carries the shared payload of a <see cref="CommonMixStream"/> or
/// its own encoding, tick by tick. Each tick after <see cref="AudioMixer.Mix"/>: <see cref="TryTake"/>; if it
/// gives no payload, the caller encodes <see cref="MixerParticipant.Output"/> with the participant's own
/// encoder and then calls <see cref="EncodedPrivately"/>; if a taken payload could not be sent, it calls
/// <see cref="Interrupt"/>. The switches are exact for every codec <see cref="CommonMixStream"/> shares (see there).
/// </summary>
public sealed class CommonMixSubscription(CommonMixStream? stream)
{
    /// <summary>The shared stream of the participant's codec, or null when it cannot be shared.</summary>
    public CommonMixStream? Stream { get; } = stream;

    /// <summary>The participant's far end follows the shared stream: it is sent the shared payload while it hears the common mix.</summary>
    public bool IsShared { get; private set; }

    /// <summary>Times the participant moved onto the shared stream.</summary>
    public long Joins { get; private set; }

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
        if (Stream is not null && !IsShared && participant.HearsCommonMix && Stream.Follows(own, tick))
        {
            IsShared = true;
            Joins++;
        }
    }

    /// <summary>
    /// The participant's far end did not get this tick's shared payload (not sent: on hold, a prompt or DTMF of
    /// its own plays), or it stops hearing the common mix: back on its own encoder, from the state its far end
    /// followed last.
    /// </summary>
    public void Interrupt(IAudioEncoder own, long tick)
    {
        if (!IsShared)
            return;
        IsShared = false;
        Stream!.HandOver(own, tick);
    }
}
