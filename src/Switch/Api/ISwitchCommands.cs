namespace Hotline.Switch.Api;

/// <summary>Write side of the switch for supervisors: things done to live calls and registrations.</summary>
public interface ISwitchCommands
{
    /// <summary>Whether <see cref="HangUp"/> can end calls in this build (the panel hides the button otherwise).</summary>
    bool CanHangUp { get; }

    /// <summary>Ends a live call (both legs get a BYE, or the caller a final response if not yet answered).</summary>
    CommandResult HangUp(string callId, string reason);
}
