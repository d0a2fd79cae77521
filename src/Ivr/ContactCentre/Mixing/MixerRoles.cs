using Hotline.Switch.Calls;
using Hotline.Media.Mixing;

namespace Hotline.Ivr.ContactCentre.Mixing;

/// <summary>
/// The roles in terms of <see cref="AudioMixer"/>'s audibility rules, for the media engine's rooms to use
/// (and the tests, which check each party hears exactly what it should through the real mixer).
/// </summary>
public static class MixerRoles
{
    public static void Apply(MixerParticipant participant, MixRole role, MixerParticipant? heardOnlyBy = null)
    {
        switch (role)
        {
            case MixRole.Talker:
                participant.ClearAudibilityRestriction();
                break;
            case MixRole.Listener:
                participant.SetListener();
                break;
            case MixRole.Whisperer when heardOnlyBy is not null:
                participant.SetHeardOnlyBy(heardOnlyBy);
                break;
            case MixRole.Whisperer:
                // Whispering to nobody yet: heard by no one rather than by everyone.
                participant.SetListener();
                break;
        }
    }
}
