using Hotline.Switch.Sip;

namespace Hotline.Switch.Core;

/// <summary>Decides whether a new call (an INVITE outside any dialog) may start, before any work is spent on it.</summary>
public interface IAdmissionControl
{
    /// <summary>True to go ahead; false with the reason phrase of the 503 the caller gets.</summary>
    bool TryAdmit(SipMessage invite, out string refusal);
}
