using Hotline.Ivr.ContactCentre.Engine;

namespace Hotline.Admin.ContactCentre;

/// <summary>A queue's figures for the current statistics period, times in seconds (GB/T 33358: service level 15 s, answer rate ≥ 95%).</summary>
public sealed record QueueFigures(long Offered, long Answered, long AnsweredInServiceLevel, long Abandoned, long Overflowed, long CallbacksRequested,
    long Completed, double AverageWaitSeconds, double AverageAbandonedWaitSeconds, double AverageTalkSeconds, double ServiceLevelPercent, double AnsweredPercent)
{
    public static QueueFigures Of(QueueStatistics s) => new(s.Offered, s.Answered, s.AnsweredInServiceLevel, s.Abandoned, s.Overflowed, s.CallbacksRequested,
        s.Completed, Seconds(s.AverageWait), Seconds(s.AverageAbandonedWait), Seconds(s.AverageTalk), Math.Round(s.ServiceLevelPercent, 1), Math.Round(s.AnsweredPercent, 1));

    internal static double Seconds(TimeSpan t) => Math.Round(t.TotalSeconds, 1);
}

/// <summary>An agent's figures for the current statistics period.</summary>
public sealed record AgentFigures(long Offered, long Answered, long Missed, long Completed, double TotalTalkSeconds, double AverageTalkSeconds,
    IReadOnlyDictionary<string, long> AnsweredByQueue)
{
    public static AgentFigures Of(AgentStatistics s) =>
        new(s.Offered, s.Answered, s.Missed, s.Completed, QueueFigures.Seconds(s.TotalTalk), QueueFigures.Seconds(s.AverageTalk), s.AnsweredByQueue);
}

public sealed record WaitingCallView(string CallId, string Caller, int Position, int Priority, double WaitedSeconds, bool Callback, bool Ringing);

/// <summary>A queue now: callers waiting (and the longest wait), members by state, and its figures.</summary>
public sealed record QueueLive(string Number, string Name, QueueStrategy Strategy, int Waiting, int InQueue, int Ringing, int Callbacks, double LongestWaitSeconds,
    IReadOnlyDictionary<AgentState, int> AgentsByState, QueueFigures Figures, IReadOnlyList<WaitingCallView> Calls);

/// <summary>An agent now: state (with the pause reason), phone, call, how long in this state, queues, figures.</summary>
public sealed record AgentLive(string Number, string Name, AgentState State, string? Reason, string? Phone, string? CallId, DateTimeOffset Since,
    double StateSeconds, bool PhoneBusy, IReadOnlyList<string> Queues, AgentFigures Figures);

/// <summary>The whole contact centre at one instant: what the live view, the wallboard and the API show.</summary>
public sealed record AcdLive(DateTimeOffset At, IReadOnlyList<QueueLive> Queues, IReadOnlyList<AgentLive> Agents)
{
    public static AcdLive Of(AcdSnapshot s, Func<string, string> queueName) => new(s.At,
        s.Queues.Select(q => new QueueLive(q.Name, queueName(q.Name), q.Strategy, q.InQueue - q.Ringing, q.InQueue, q.Ringing, q.Callbacks,
            QueueFigures.Seconds(q.LongestWait), q.AgentsByState, QueueFigures.Of(q.Statistics),
            q.Calls.Select(c => new WaitingCallView(c.CallId, c.Caller, c.Position, c.Priority, QueueFigures.Seconds(c.Waited), c.Callback, c.Ringing)).ToList())).ToList(),
        s.Agents.Select(a => new AgentLive(a.Id, a.Name, a.State, a.Reason, a.Phone, a.CallId, a.Since, QueueFigures.Seconds(s.At - a.Since), a.PhoneBusy, a.Queues,
            AgentFigures.Of(a.Statistics))).ToList());
}
