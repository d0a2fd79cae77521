using System.Globalization;
using System.Text;
using Hotline.Admin.Localization;
using Hotline.Admin.Security;
using Hotline.Admin.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hotline.Admin.Api;

internal static class StatsEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/stats").RequireAuthorization(Policies.Supervise).WithTags("Statistics");
        api.MapGet("/totals", (StatsPeriod? period, DateTimeOffset? from, DateTimeOffset? to, StatisticsService stats, TimeProvider time) =>
            Range(from, to, time, out var f, out var t) is { } bad ? bad
                : Results.Ok(stats.Totals(period ?? StatsPeriod.Day, f, t).Select(p => new { label = StatisticsService.Label(p.Start, period ?? StatsPeriod.Day), p.Start, p.InboundAnswered, p.InboundAbandoned, p.Outbound, p.OutboundAnswered, p.Internal, p.TalkSeconds, p.FollowMe, p.FollowMeAnswered })))
            .WithSummary("Totals per day, week or month: inbound answered/abandoned, outbound, internal, talk time, follow-me");
        api.MapGet("/extensions", (DateTimeOffset? from, DateTimeOffset? to, StatisticsService stats, TimeProvider time) =>
            Range(from, to, time, out var f, out var t) is { } bad ? bad : Results.Ok(stats.ByExtension(f, t)))
            .WithSummary("Per extension: calls answered, calls made, talk time");
        api.MapGet("/areas", (DateTimeOffset? from, DateTimeOffset? to, string? lang, StatisticsService stats, TimeProvider time) =>
        {
            var language = lang == "en" ? "en" : "zh";
            return Range(from, to, time, out var f, out var t) is { } bad ? bad : Results.Ok(stats.ByArea(f, t, language, Texts.For(language)["Unknown"]));
        }).WithSummary("Inbound calls by the caller's province/city");
        api.MapGet("/export.csv", (StatsPeriod? period, DateTimeOffset? from, DateTimeOffset? to, StatisticsService stats, TimeProvider time) =>
        {
            if (Range(from, to, time, out var f, out var t) is { } bad) return bad;
            var p = period ?? StatsPeriod.Day;
            var sb = new StringBuilder("period,inbound_answered,inbound_abandoned,outbound,outbound_answered,internal,talk_seconds,follow_me,follow_me_answered\r\n");
            foreach (var row in stats.Totals(p, f, t))
                sb.Append(CultureInfo.InvariantCulture, $"{StatisticsService.Label(row.Start, p)},{row.InboundAnswered},{row.InboundAbandoned},{row.Outbound},{row.OutboundAnswered},{row.Internal},{row.TalkSeconds},{row.FollowMe},{row.FollowMeAnswered}\r\n");
            return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(sb.ToString())).ToArray(), "text/csv; charset=utf-8", "totals.csv");
        }).WithSummary("Totals as CSV");
    }

    /// <summary>Defaults to the last 30 days; at most 400 days.</summary>
    internal static IResult? Range(DateTimeOffset? from, DateTimeOffset? to, TimeProvider time, out DateTimeOffset f, out DateTimeOffset t)
    {
        t = to ?? time.GetUtcNow();
        f = from ?? t.AddDays(-30);
        if (t <= f) return ApiHelpers.Invalid("to", "must be after from");
        if (t - f > TimeSpan.FromDays(400)) return ApiHelpers.Invalid("from", "the range must be at most 400 days");
        return null;
    }
}
