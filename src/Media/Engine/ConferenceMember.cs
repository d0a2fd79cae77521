namespace Hotline.Media.Engine;

/// <summary>Who hears a member of a <see cref="ConferenceRoom"/>. Every member hears everyone else.</summary>
public enum ConferenceRole
{
    /// <summary>Heard by everyone (a conference participant, a supervisor barging in).</summary>
    Talker,

    /// <summary>Heard by nobody (silent monitoring).</summary>
    Listener,

    /// <summary>Heard by one member only (a supervisor coaching an agent); by nobody until that member is named.</summary>
    Whisperer,
}

/// <summary>
/// An endpoint in a <see cref="ConferenceRoom"/>. Changes (role, mute) may be made from any thread and
/// take effect on the room's worker at the next tick. The member leaves when asked, when its endpoint
/// closes, when it is bridged or joins another room, or when the room closes; <see cref="Left"/> then fires
/// (on a thread-pool thread, never the media worker).
/// </summary>
public sealed class ConferenceMember
{
    private readonly CancellationTokenSource _left = new();
    private readonly TaskCompletionSource _gone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _muted;
    private int _hasLeft;

    internal ConferenceMember(ConferenceRoom room, MediaEndpoint endpoint, ConferenceRole role)
    {
        Room = room;
        Endpoint = endpoint;
        Role = role;
    }

    public ConferenceRoom Room { get; }
    public MediaEndpoint Endpoint { get; }

    /// <summary>The role last asked for.</summary>
    public ConferenceRole Role { get; private set; }

    /// <summary>The member a whisperer is heard by (null: nobody yet, or not a whisperer).</summary>
    public ConferenceMember? HeardOnlyBy { get; private set; }

    /// <summary>Heard by nobody while set; still hears.</summary>
    public bool Muted
    {
        get => _muted;
        set
        {
            _muted = value;
            Room.RunOnMember(this, core => core.Participant.Muted = value);
        }
    }

    /// <summary>Cancelled once the member is out of the room.</summary>
    public CancellationToken Left => _left.Token;

    public bool HasLeft => Volatile.Read(ref _hasLeft) != 0;

    /// <summary>The worker's view of the member while it is in the room (worker thread only).</summary>
    internal ConferenceCore.Member? Core { get; set; }

    /// <summary>
    /// Changes who hears the member: everyone (<see cref="ConferenceRole.Talker"/>), nobody
    /// (<see cref="ConferenceRole.Listener"/>), or only <paramref name="heardOnlyBy"/> (<see cref="ConferenceRole.Whisperer"/>),
    /// who must be in the same room. A whisperer whose listener leaves is heard by nobody.
    /// </summary>
    public void SetRole(ConferenceRole role, ConferenceMember? heardOnlyBy = null)
    {
        if (heardOnlyBy is not null && heardOnlyBy.Room != Room)
            throw new ArgumentException("a member can only whisper to a member of its own room", nameof(heardOnlyBy));
        if (heardOnlyBy == this)
            throw new ArgumentException("a member cannot whisper to itself", nameof(heardOnlyBy));
        var target = role == ConferenceRole.Whisperer ? heardOnlyBy : null;
        Role = role;
        HeardOnlyBy = target;
        Room.RunOnMember(this, core => ConferenceCore.SetRole(core, role, target?.Core));
    }

    /// <summary>Takes the member out of the room (its endpoint stays open, attached to nothing); completes once it is out and <see cref="Left"/> has fired.</summary>
    public Task LeaveAsync() => Room.RemoveAsync(this);

    /// <summary>Completes once the member is out and <see cref="Left"/> has fired.</summary>
    internal Task Gone => _gone.Task;

    /// <summary>Worker thread, or the thread that found the member gone: marks it out and fires <see cref="Left"/> off the worker.</summary>
    internal void OnLeft()
    {
        if (Interlocked.Exchange(ref _hasLeft, 1) != 0)
            return;
        Core = null;
        Room.Forget(this);
        ThreadPool.UnsafeQueueUserWorkItem(static member =>
        {
            member._left.Cancel();
            member._gone.TrySetResult();
        }, this, preferLocal: false);
    }

    public override string ToString() => $"{Endpoint.Label} in {Room.Name} ({Role}{(Muted ? ", muted" : "")})";
}
