using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Hotline.Media.Engine;

/// <summary>
/// One media thread: owns many legs and the bridges and rooms between them, reads their sockets through
/// its <see cref="PacketPump"/>, and runs one 20 ms clock for all of them (no timer or thread per call).
/// Everything a leg does happens here, so leg state needs no locks; other threads talk to it by
/// <see cref="Post"/>ing commands, which run between packets in the order posted.
/// <para>
/// Loop: wait in the pump until packets arrive, a command is posted or the next tick is due; process the
/// packets (relayed on arrival); run the commands; on the tick, every leg pulls its received frame, every
/// bridge and room moves its frames (transcoding, mixing, recording), and every leg sends what the engine
/// generates and its RTCP. Tick numbers come from the engine's epoch, so all workers agree on them.
/// </para>
/// Why the worker reads its own sockets (epoll) rather than taking completions of per-socket async
/// receives or polling every socket: benchmarks/media-load/README.md, "Design of the packet path".
/// </summary>
internal sealed class MediaWorker : IDisposable
{
    private static readonly TimeSpan s_period = EngineContext.TickPeriod;
    private static readonly TimeSpan s_relayPass = TimeSpan.FromMicroseconds(250);
    private static readonly TimeSpan s_slowTick = TimeSpan.FromMilliseconds(5);

    private readonly EngineContext _context;
    private readonly ConcurrentQueue<Action> _commands = new();
    private readonly List<RtpLeg> _legs = [];
    private readonly List<LegAttachment> _attachments = [];
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;
    private int _assignedLegs;
    private long _lastRelayPass;

    public MediaWorker(EngineContext context, int index, PacketReceiveMode mode)
    {
        _context = context;
        Index = index;
        Pump = PacketPump.Create(mode);
        _thread = new Thread(Run) { IsBackground = true, Name = $"Hotline media worker {index}" };
    }

    public int Index { get; }
    public PacketPump Pump { get; }
    public PacketCounters Counters { get; } = new();

    /// <summary>Legs this worker owns or is about to (for choosing the least loaded worker).</summary>
    public int AssignedLegs => Volatile.Read(ref _assignedLegs);

    public long Ticks { get; private set; }

    /// <summary>Ticks that ran more than a period late (the worker was overloaded or descheduled).</summary>
    public long LateTicks { get; private set; }

    /// <summary>Ticks dropped after a stall longer than <see cref="MediaEngineOptions.MaxTickCatchUp"/> (their frames were never produced).</summary>
    public long SkippedTicks { get; private set; }

    /// <summary>The longest a tick's work has taken (relaying passes during it included).</summary>
    public TimeSpan LongestTick { get; private set; }

    /// <summary>Ticks whose work took over 5 ms (a quarter of the period).</summary>
    public long SlowTicks { get; private set; }

    /// <summary>Times a long tick paused to read and relay the packets that had arrived meanwhile.</summary>
    public long RelayPasses { get; private set; }

    /// <summary>Commands or handlers that threw (a bug; logged, and the worker carries on).</summary>
    public long Faults { get; private set; }

    public TimeSpan Now => _context.Now;

    public bool IsCurrentThread => Thread.CurrentThread == _thread;

    /// <summary>The thread has ended: posted commands would never run.</summary>
    public bool IsStopped => _stopped.Task.IsCompleted;

    public void Start() => _thread.Start();

    /// <summary>Runs <paramref name="command"/> on this worker's thread, after what was posted before. Any thread.</summary>
    public void Post(Action command)
    {
        _commands.Enqueue(command);
        Pump.Wake();
    }

    /// <summary>Counts a leg that will be adopted (before the command that adopts it runs).</summary>
    public void Reserve() => Interlocked.Increment(ref _assignedLegs);

    /// <summary>Stops counting a leg that is about to move away.</summary>
    public void Unreserve() => Interlocked.Decrement(ref _assignedLegs);

    /// <summary>Worker thread: takes ownership of a leg and starts reading its sockets.</summary>
    public void Adopt(RtpLeg leg, RtpSocketPair? sockets)
    {
        leg.SetWorker(this, Counters);
        _legs.Add(leg);
        if (sockets is not null && !sockets.IsDisposed)
            Pump.Register(leg, sockets);
    }

    /// <summary>Worker thread: gives up a leg (closed, or moving to another worker, already counted there).</summary>
    public void Release(RtpLeg leg, RtpSocketPair? sockets, bool moving = false)
    {
        _legs.Remove(leg);
        if (sockets is not null)
            Pump.Unregister(leg, sockets);
        if (!moving)
            Interlocked.Decrement(ref _assignedLegs);
    }

    /// <summary>Worker thread: moves <paramref name="leg"/> to <paramref name="target"/>, then runs <paramref name="then"/> there.</summary>
    public void MoveTo(RtpLeg leg, RtpSocketPair? sockets, MediaWorker target, Action then)
    {
        // Its bridge or room stays here, with the other members: the leg leaves it.
        leg.Attachment?.OnLegClosed(leg);
        leg.Attachment = null;
        // The counts moved when the move was decided (MediaEngine.Gather), so load spreading sees it at once.
        Release(leg, sockets, moving: true);
        // Nothing here touches the leg any more; until the target adopts it, commands for it run wherever
        // they land, one at a time, which is safe because no thread is ticking it meanwhile.
        leg.SetWorker(target, target.Counters);
        target.Post(() =>
        {
            target.Adopt(leg, sockets);
            then();
        });
    }

    public void AddAttachment(LegAttachment attachment)
    {
        if (!_attachments.Contains(attachment))
            _attachments.Add(attachment);
    }

    public void RemoveAttachment(LegAttachment attachment) => _attachments.Remove(attachment);

    /// <summary>Called by the pump, on this thread, for every datagram read.</summary>
    public void Dispatch(RtpLeg leg, bool rtcp, ReadOnlySpan<byte> datagram, SocketAddress source, TimeSpan now)
    {
        try
        {
            if (rtcp)
                leg.OnRtcp(datagram, source, now);
            else
                leg.OnRtp(datagram, source, now);
        }
        catch (Exception e)
        {
            Fault(e, "packet");
        }
    }

    /// <summary>Stops the thread after the commands posted so far; completes when it has ended.</summary>
    public Task StopAsync()
    {
        Post(() => _stopping = true);
        return _stopped.Task;
    }

    public void Dispose() => Pump.Dispose();

    private void Run()
    {
        int nice = _context.Options.WorkerNice;
        if (nice != 0 && !WorkerPriority.TrySetCurrentThread(nice, out var refused))
            _context.Logger.LogWarning("media worker {Index} runs at the process's priority: {Reason}", Index, refused);
        var next = NextTickAfter(Now);
        try
        {
            while (!_stopping)
            {
                var wait = next - Now;
                Pump.Wait(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, this);
                RunCommands();
                var now = Now;
                if (now < next)
                    continue;
                if (now - next > _context.Options.MaxTickCatchUp)
                {
                    // Too far behind to catch up (the machine is overloaded): skip to the present rather than
                    // run late for ever. A shorter stall is worked off tick by tick, each round reading one
                    // more packet per socket, so recordings and transcoded streams lose nothing.
                    var resume = NextTickAfter(now) - s_period;
                    SkippedTicks += (resume - next).Ticks / s_period.Ticks;
                    next = resume;
                }
                if (now - next > s_period)
                    LateTicks++;
                Tick(now, EngineContext.TickOf(next));
                next += s_period;
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void RunCommands()
    {
        while (_commands.TryDequeue(out var command))
        {
            try
            {
                command();
            }
            catch (Exception e)
            {
                Fault(e, "command");
            }
        }
    }

    private void Tick(TimeSpan now, long tick)
    {
        Ticks++;
        long started = _context.Time.GetTimestamp();
        _lastRelayPass = started;
        // Per item, so one faulty leg cannot silence the others.
        for (int i = 0; i < _legs.Count; i++)
        {
            try { _legs[i].BeginTick(now, tick); }
            catch (Exception e) { Fault(e, "tick"); }
            KeepRelaying();
        }
        for (int i = 0; i < _attachments.Count; i++)
        {
            try { _attachments[i].Tick(now, tick); }
            catch (Exception e) { Fault(e, "tick"); }
            KeepRelaying();
        }
        for (int i = 0; i < _legs.Count; i++)
        {
            try { _legs[i].EndTick(now, tick); }
            catch (Exception e) { Fault(e, "tick"); }
            KeepRelaying();
        }
        var took = _context.Time.GetElapsedTime(started);
        if (took > LongestTick)
            LongestTick = took;
        if (took > s_slowTick)
            SlowTicks++;
        RunCommands();
    }

    /// <summary>
    /// A tick over a thousand recorded legs takes milliseconds; packets arriving meanwhile are read and
    /// relayed every <see cref="s_relayPass"/> rather than after the tick, so a relayed packet never waits
    /// for a whole tick. Safe mid-tick: packets only feed jitter buffers and go out; lists change only in commands.
    /// </summary>
    private void KeepRelaying()
    {
        long now = _context.Time.GetTimestamp();
        if (_context.Time.GetElapsedTime(_lastRelayPass, now) < s_relayPass)
            return;
        _lastRelayPass = now;
        RelayPasses++;
        Pump.Wait(TimeSpan.Zero, this);
    }

    private void Fault(Exception e, string where)
    {
        Faults++;
        _context.Logger.LogError(e, "Media worker {Index} fault in {Where}", Index, where);
    }

    private static TimeSpan NextTickAfter(TimeSpan now) => TimeSpan.FromTicks((EngineContext.TickOf(now) + 1) * s_period.Ticks);
}
