namespace Hotline.Switch.Api;

/// <summary>
/// Read side of the switch for the panel, the REST API and /metrics: registrations, live calls and
/// counters, with events so live views are pushed rather than polled.
/// </summary>
public interface ISwitchStatus
{
    SwitchEndpoint Endpoint { get; }

    IReadOnlyList<RegistrationView> Registrations();

    IReadOnlyList<LiveCallView> LiveCalls();

    SwitchCounters Counters();

    /// <summary>Trunks and their live state (empty when the switch has none).</summary>
    IReadOnlyList<TrunkView> Trunks();

    /// <summary>Raised on every registration change, on the thread that made it: handlers must be quick.</summary>
    event Action<RegistrationEvent>? RegistrationChanged;

    /// <summary>Raised when the set of live calls or any call's state changed (checked at least every 500 ms).</summary>
    event Action<IReadOnlyList<LiveCallView>>? CallsChanged;
}
