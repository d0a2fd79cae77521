using System.Globalization;
using Hotline.Switch.Cdrs;

namespace Hotline.Admin.Services;

public enum StatsPeriod { Day, Week, Month }

/// <summary>
/// Calls in one period. Inbound = from a trunk; abandoned = inbound that the caller gave up on or nobody answered;
/// outbound = out through a trunk, dialled by a phone or placed by the switch; follow-me = put through to a user's
/// outside numbers (counted there, not as outbound).
/// </summary>
public sealed record PeriodTotals(DateOnly Start, int InboundAnswered, int InboundAbandoned, int Outbound, int OutboundAnswered, int Internal, int TalkSeconds,
    int FollowMe = 0, int FollowMeAnswered = 0);

/// <summary>One extension's work: calls it answered, calls it made, and the talk time of both.</summary>
public sealed record ExtensionTotals(string Extension, int Answered, int Outbound, int TalkSeconds);

/// <summary>Calls from one area (the caller's province/city).</summary>
public sealed record AreaTotals(string Area, int Calls, int Answered);

/// <summary>Reports computed from the call records of a time range.</summary>
public sealed class StatisticsService(ICdrStore cdrs, AreaLookup areas, TimeProvider time)
{
    /// <summary>Reports read at most this many records; beyond it the range must be narrowed.</summary>
    public const int MaxRecords = 500_000;

    public IReadOnlyList<PeriodTotals> Totals(StatsPeriod period, DateTimeOffset from, DateTimeOffset to)
    {
        var zone = time.LocalTimeZone;
        return Load(from, to)
            .GroupBy(c => PeriodStart(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(c.Start, zone).DateTime), period))
            .OrderBy(g => g.Key)
            .Select(g => new PeriodTotals(
                g.Key,
                g.Count(c => Inbound(c) && Answered(c)),
                g.Count(c => Inbound(c) && !Answered(c)),
                g.Count(Outbound),
                g.Count(c => Outbound(c) && Answered(c)),
                g.Count(c => !Inbound(c) && !Outbound(c) && !c.FollowMe),
                g.Sum(c => c.BillableSeconds),
                g.Count(c => c.FollowMe),
                g.Count(c => c.FollowMe && Answered(c))))
            .ToList();
    }

    public IReadOnlyList<ExtensionTotals> ByExtension(DateTimeOffset from, DateTimeOffset to)
    {
        var answered = new Dictionary<string, (int Count, int Seconds)>(StringComparer.Ordinal);
        var made = new Dictionary<string, (int Count, int Seconds)>(StringComparer.Ordinal);
        foreach (var c in Load(from, to))
        {
            if (c.Extension is { Length: > 0 } ext && Answered(c) && ext != c.Caller)
            {
                answered.TryGetValue(ext, out var a);
                answered[ext] = (a.Count + 1, a.Seconds + c.BillableSeconds);
            }
            if (c.InboundTrunk is null && c.Caller is { Length: > 0 } caller && caller.All(char.IsAsciiDigit))
            {
                made.TryGetValue(caller, out var m);
                made[caller] = (m.Count + 1, m.Seconds + c.BillableSeconds);
            }
        }
        return answered.Keys.Union(made.Keys).OrderBy(k => k, StringComparer.Ordinal)
            .Select(k =>
            {
                answered.TryGetValue(k, out var a);
                made.TryGetValue(k, out var m);
                return new ExtensionTotals(k, a.Count, m.Count, a.Seconds + m.Seconds);
            })
            .ToList();
    }

    /// <summary>Inbound calls by the caller's area, most first; numbers without an area count as "unknown".</summary>
    public IReadOnlyList<AreaTotals> ByArea(DateTimeOffset from, DateTimeOffset to, string language, string unknown)
    {
        return Load(from, to).Where(Inbound)
            .GroupBy(c => areas.Describe(c.Caller, language) ?? unknown)
            .Select(g => new AreaTotals(g.Key, g.Count(), g.Count(Answered)))
            .OrderByDescending(a => a.Calls).ThenBy(a => a.Area, StringComparer.Ordinal)
            .ToList();
    }

    private IEnumerable<Cdr> Load(DateTimeOffset from, DateTimeOffset to) => cdrs.Search(new CdrQuery(From: from, To: to, Limit: MaxRecords));

    private static bool Inbound(Cdr c) => !string.IsNullOrEmpty(c.InboundTrunk);

    private static bool Outbound(Cdr c) => !string.IsNullOrEmpty(c.OutboundTrunk) && !c.FollowMe;

    private static bool Answered(Cdr c) => c.Disposition == CallDisposition.Answered;

    public static DateOnly PeriodStart(DateOnly day, StatsPeriod period) => period switch
    {
        StatsPeriod.Day => day,
        // ISO 8601 weeks start on Monday.
        StatsPeriod.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        _ => new DateOnly(day.Year, day.Month, 1),
    };

    public static string Label(DateOnly start, StatsPeriod period) => period switch
    {
        StatsPeriod.Day => start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        StatsPeriod.Week => $"{ISOWeek.GetYear(start.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(start.ToDateTime(TimeOnly.MinValue)):00}",
        _ => start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
    };
}
