namespace Hotline.Ivr.ContactCentre.Engine;

/// <summary>
/// A queue's figures for the current period. Every caller offered ends up answered, abandoned or
/// overflowed, or is still in the queue: Offered = Answered + Abandoned + Overflowed + InQueue.
/// </summary>
/// <param name="Offered">Callers who joined (and callbacks scheduled from the abandoned list).</param>
/// <param name="AnsweredInServiceLevel">Answered within the queue's service level (15 s by GB/T 33358).</param>
/// <param name="Abandoned">Hung up before an agent answered, or a callback that could not be reached.</param>
/// <param name="TotalWait">Summed waits of the answered calls (join to answer).</param>
/// <param name="TotalAbandonedWait">Summed waits of the abandoned calls.</param>
/// <param name="TotalTalk">Summed talk time of the completed calls.</param>
public sealed record QueueStatistics(long Offered, long Answered, long AnsweredInServiceLevel, long Abandoned, long Overflowed,
    long CallbacksRequested, long Completed, TimeSpan TotalWait, TimeSpan TotalAbandonedWait, TimeSpan TotalTalk)
{
    public TimeSpan AverageWait => Answered == 0 ? TimeSpan.Zero : TotalWait / Answered;
    public TimeSpan AverageAbandonedWait => Abandoned == 0 ? TimeSpan.Zero : TotalAbandonedWait / Abandoned;
    public TimeSpan AverageTalk => Completed == 0 ? TimeSpan.Zero : TotalTalk / Completed;
    /// <summary>Share of the calls that ended (answered or abandoned) which were answered within the service level, in percent.</summary>
    public double ServiceLevelPercent => Answered + Abandoned == 0 ? 100 : 100.0 * AnsweredInServiceLevel / (Answered + Abandoned);
    /// <summary>Share of the calls that ended (answered or abandoned) which were answered, in percent (GB/T 33358 asks ≥ 95%).</summary>
    public double AnsweredPercent => Answered + Abandoned == 0 ? 100 : 100.0 * Answered / (Answered + Abandoned);
}

/// <param name="Offered">Offers that rang this agent.</param>
/// <param name="Missed">Offers this agent let ring out.</param>
/// <param name="AnsweredByQueue">Answers per queue.</param>
public sealed record AgentStatistics(long Offered, long Answered, long Missed, long Completed, TimeSpan TotalTalk,
    IReadOnlyDictionary<string, long> AnsweredByQueue)
{
    public TimeSpan AverageTalk => Completed == 0 ? TimeSpan.Zero : TotalTalk / Completed;
}

internal sealed class QueueCounters
{
    public long Offered, Answered, AnsweredInServiceLevel, Abandoned, Overflowed, CallbacksRequested, Completed;
    public TimeSpan TotalWait, TotalAbandonedWait, TotalTalk;

    public QueueStatistics Snapshot() =>
        new(Offered, Answered, AnsweredInServiceLevel, Abandoned, Overflowed, CallbacksRequested, Completed, TotalWait, TotalAbandonedWait, TotalTalk);

    public void Reset()
    {
        Offered = Answered = AnsweredInServiceLevel = Abandoned = Overflowed = CallbacksRequested = Completed = 0;
        TotalWait = TotalAbandonedWait = TotalTalk = TimeSpan.Zero;
    }
}

internal sealed class AgentCounters
{
    public long Offered, Answered, Missed, Completed;
    public TimeSpan TotalTalk;
    public readonly Dictionary<string, long> AnsweredByQueue = new(StringComparer.Ordinal);

    public AgentStatistics Snapshot() =>
        new(Offered, Answered, Missed, Completed, TotalTalk, new Dictionary<string, long>(AnsweredByQueue, StringComparer.Ordinal));

    public void Reset()
    {
        Offered = Answered = Missed = Completed = 0;
        TotalTalk = TimeSpan.Zero;
        AnsweredByQueue.Clear();
    }
}
