using Hotline.Switch.Api;

namespace Hotline.Admin.Tests;

/// <summary>The switch's query and command interfaces with state a test sets.</summary>
internal sealed class FakeSwitch : ISwitchStatus, ISwitchCommands
{
    private readonly Lock _lock = new();
    private readonly List<RegistrationView> _registrations = [];
    private List<LiveCallView> _calls = [];

    public SwitchEndpoint Endpoint { get; set; } = new("127.0.0.1", 5060, "hotline", CallControl: true);

    public List<(string CallId, string Reason)> HungUp { get; } = [];

    public event Action<RegistrationEvent>? RegistrationChanged;

    public event Action<IReadOnlyList<LiveCallView>>? CallsChanged;

    public IReadOnlyList<RegistrationView> Registrations()
    {
        lock (_lock) return _registrations.ToList();
    }

    public IReadOnlyList<LiveCallView> LiveCalls()
    {
        lock (_lock) return _calls.ToList();
    }

    public SwitchCounters Counters()
    {
        lock (_lock) return new SwitchCounters(_registrations.Count, _registrations.Select(r => r.Aor).Distinct().Count(), _calls.Count, 7, 0.5, 1);
    }

    public List<TrunkView> TrunkList { get; } = [];

    public IReadOnlyList<TrunkView> Trunks() => TrunkList.ToList();

    public void Register(string aor)
    {
        var view = new RegistrationView(aor, $"sip:{aor}@127.0.0.1:5062", "UDP", "127.0.0.1:5062", "test", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5));
        lock (_lock) _registrations.Add(view);
        RegistrationChanged?.Invoke(new RegistrationEvent(RegistrationEventKind.Added, view));
    }

    public void SetCalls(params LiveCallView[] calls)
    {
        lock (_lock) _calls = calls.ToList();
        CallsChanged?.Invoke(calls);
    }

    public bool CanHangUp => true;

    public CommandResult HangUp(string callId, string reason)
    {
        lock (_lock)
        {
            if (_calls.All(c => c.CallId != callId)) return CommandResult.Refused($"no live call {callId}");
            HungUp.Add((callId, reason));
            _calls.RemoveAll(c => c.CallId == callId);
        }
        return CommandResult.Ok;
    }
}
