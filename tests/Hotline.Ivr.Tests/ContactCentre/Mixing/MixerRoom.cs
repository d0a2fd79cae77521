using Hotline.Ivr.ContactCentre.Mixing;
using Hotline.Media.Mixing;
using Hotline.Switch.Calls;

namespace Hotline.Ivr.Tests.ContactCentre.Mixing;

/// <summary>
/// A mixing room over the real <see cref="AudioMixer"/> (8 kHz, 20 ms), the way the media engine's rooms
/// use it, driven by the test: each member sends a sine of its own frequency, and what each hears is kept.
/// </summary>
internal sealed class MixerRoom : IMixingRoom
{
    public const int Rate = 8000;
    private readonly AudioMixer _mixer = new(Rate);
    private readonly List<Member> _members = [];
    private readonly Lock _lock = new();

    public MixerRoom(string name) => Name = name;

    public string Name { get; }
    public int Count
    {
        get { lock (_lock) return _members.Count(m => !m.Left.IsCancellationRequested); }
    }
    public string? RecordingPath { get; private set; }
    public List<string> Log { get; } = [];
    public bool Disposed { get; private set; }
    public IReadOnlyList<Member> Members
    {
        get { lock (_lock) return _members.ToList(); }
    }

    public Task<IMixMember> JoinAsync(ICallChannel call, MixRole role, CancellationToken ct = default) =>
        Task.FromResult<IMixMember>(Add(call.CallId, call.Caller, role, call.Ended, () => call.HangupAsync()));

    public Member Add(string callId, string party, MixRole role, CancellationToken ended, Func<Task> hangup)
    {
        lock (_lock)
        {
            var m = new Member(this, _mixer.Add(callId), callId, party, ended, hangup);
            m.SetRole(role);
            _members.Add(m);
            return m;
        }
    }

    public Task PlayAsync(string prompt, CancellationToken ct = default)
    {
        lock (Log) Log.Add($"play:{prompt}");
        return Task.CompletedTask;
    }

    public void PlayTone(RoomTone tone)
    {
        lock (Log) Log.Add($"tone:{tone}");
    }

    public void StartRecording(string path) => RecordingPath = path;

    public Task StopRecordingAsync()
    {
        lock (Log) Log.Add($"recorded:{RecordingPath}");
        RecordingPath = null;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs <paramref name="frames"/> 20 ms ticks: every present member sends its tone, everyone's output is kept.</summary>
    public void Tick(int frames = 10)
    {
        lock (_lock)
        {
            foreach (var m in _members) m.Heard.Clear();
            var frame = new short[_mixer.SamplesPerFrame];
            for (int f = 0; f < frames; f++)
            {
                foreach (var m in _members)
                {
                    if (m.Left.IsCancellationRequested || m.Frequency == 0)
                    {
                        m.Participant.MarkAbsent();
                        continue;
                    }
                    for (int i = 0; i < frame.Length; i++) frame[i] = (short)(8000 * Math.Sin(2 * Math.PI * m.Frequency * m.Sample++ / Rate));
                    m.Participant.SetInput(frame);
                }
                _mixer.Mix();
                foreach (var m in _members) m.Heard.AddRange(m.Participant.Output.ToArray());
            }
        }
    }

    internal void Leave(Member m)
    {
        lock (_lock) _mixer.Remove(m.Participant);
    }

    internal sealed class Member : IMixMember
    {
        private readonly MixerRoom _room;
        private readonly CancellationTokenSource _left;
        private readonly Func<Task> _hangup;
        private bool _muted;

        public Member(MixerRoom room, MixerParticipant participant, string callId, string party, CancellationToken ended, Func<Task> hangup)
        {
            _room = room;
            Participant = participant;
            CallId = callId;
            Party = party;
            _hangup = hangup;
            _left = CancellationTokenSource.CreateLinkedTokenSource(ended);
            _left.Token.Register(() => room.Leave(this));
        }

        public MixerParticipant Participant { get; }
        public string CallId { get; }
        public string Party { get; }
        public MixRole Role { get; private set; }
        public double Frequency { get; set; }
        public long Sample;
        public List<short> Heard { get; } = [];

        public bool Muted
        {
            get => _muted;
            set
            {
                _muted = value;
                Participant.Muted = value;
            }
        }

        public void SetRole(MixRole role, IMixMember? heardOnlyBy = null)
        {
            Role = role;
            MixerRoles.Apply(Participant, role, (heardOnlyBy as Member)?.Participant);
        }

        public CancellationToken Left => _left.Token;

        public Task LeaveAsync()
        {
            _left.Cancel();
            return Task.CompletedTask;
        }

        public async Task HangupAsync()
        {
            await _hangup();
            _left.Cancel();
        }

        /// <summary>Amplitude of <paramref name="frequency"/> in what this member heard (a single-bin DFT).</summary>
        public double Level(double frequency)
        {
            double re = 0, im = 0;
            for (int n = 0; n < Heard.Count; n++)
            {
                double w = 2 * Math.PI * frequency * n / Rate;
                re += Heard[n] * Math.Cos(w);
                im -= Heard[n] * Math.Sin(w);
            }
            return Heard.Count == 0 ? 0 : 2 * Math.Sqrt(re * re + im * im) / Heard.Count;
        }

        /// <summary>The tones (from <paramref name="candidates"/>) this member hears: clearly present, the rest clearly absent.</summary>
        public IReadOnlyList<double> Hears(params double[] candidates)
        {
            var heard = new List<double>();
            foreach (var f in candidates)
            {
                double level = Level(f);
                if (level > 4000) heard.Add(f);              // sent at 8000: a tone in the mix arrives at full level
                else if (level > 80) throw new Xunit.Sdk.XunitException($"{Party} hears {f} Hz at {level:F0}, neither clearly present nor absent");
            }
            return heard;
        }
    }
}

internal sealed class FakeConferenceMedia : IConferenceMedia
{
    public List<MixerRoom> Rooms { get; } = [];

    public IMixingRoom CreateRoom(string name, int sampleRate = 16000)
    {
        var room = new MixerRoom(name);
        lock (Rooms) Rooms.Add(room);
        return room;
    }

    public MixerRoom Room(string name)
    {
        lock (Rooms) return Rooms.Last(r => r.Name == name);
    }
}

/// <summary>Live two-party calls; moving one into a room adds its two parties as members sending their own tones.</summary>
internal sealed class FakeLiveCalls : ILiveCalls
{
    public Dictionary<string, (BridgedCall Call, double[] Tones, CancellationTokenSource[] Legs)> Calls { get; } = [];
    public List<string> Moves { get; } = [];
    public List<string> Transfers { get; } = [];

    public BridgedCall Add(string callId, string caller, string callee, double callerTone, double calleeTone)
    {
        var call = new BridgedCall(callId, [caller, callee], DateTimeOffset.UnixEpoch, null);
        Calls[callId] = (call, [callerTone, calleeTone], [new(), new()]);
        return call;
    }

    public BridgedCall? FindByParty(string extension) => Calls.Values.Select(c => c.Call).FirstOrDefault(c => c.Parties.Contains(extension));

    public BridgedCall? Find(string callId) => Calls.TryGetValue(callId, out var c) ? c.Call : null;

    public Task<IReadOnlyList<IMixMember>> MoveToRoomAsync(string callId, IMixingRoom room, CancellationToken ct = default)
    {
        lock (Moves) Moves.Add(callId);
        var (call, tones, legs) = Calls[callId];
        var mixer = (MixerRoom)room;
        var members = new List<IMixMember>();
        for (int i = 0; i < 2; i++)
        {
            var leg = legs[i];
            var m = mixer.Add($"{callId}/{i}", call.Parties[i], MixRole.Talker, leg.Token, () => { leg.Cancel(); return Task.CompletedTask; });
            m.Frequency = tones[i];
            members.Add(m);
        }
        return Task.FromResult<IReadOnlyList<IMixMember>>(members);
    }

    public Task<bool> TransferAsync(string callId, string transferrer, Hotline.Switch.Routing.RouteTarget target, CancellationToken ct = default)
    {
        lock (Transfers) Transfers.Add($"{callId}:{transferrer}->{target.Kind}:{target.Value}");
        return Task.FromResult(Calls.ContainsKey(callId));
    }
}
