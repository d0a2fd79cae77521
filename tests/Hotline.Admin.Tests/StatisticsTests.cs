using Hotline.Admin.Security;
using Hotline.Admin.Services;
using Hotline.Switch.Cdrs;

namespace Hotline.Admin.Tests;

public sealed class StatisticsTests
{
    private static readonly DateTimeOffset s_monday = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("01062345678", "zh", "北京市")]
    [InlineData("010-6234-5678", "en", "Beijing")]
    [InlineData("+862162345678", "zh", "上海市")]
    [InlineData("02088886666", "zh", "广东省广州市")]
    [InlineData("13802512345", "zh", "广东省广州市")]
    [InlineData("13802512345", "en", "Guangzhou, Guangdong")]
    [InlineData("13501012345", "zh", "北京市")]
    [InlineData("13816012345", "zh", "上海市")]
    public void Area_comes_from_the_area_code_or_the_mobile_block(string number, string language, string expected)
    {
        Assert.Equal(expected, new AreaLookup().Describe(number, language));
    }

    [Theory]
    [InlineData("1001")]
    [InlineData("anonymous")]
    [InlineData("")]
    public void Extensions_and_hidden_numbers_have_no_area(string number)
    {
        Assert.Null(new AreaLookup().Describe(number, "zh"));
    }

    [Fact]
    public async Task Totals_per_day_week_and_month_per_extension_and_per_area()
    {
        await using var host = await AdminHost.StartAsync();
        Seed.Call(host, "01062345678", "12345", s_monday, CallDisposition.Answered, 60, extension: "1001", inboundTrunk: "t1");
        Seed.Call(host, "13802512345", "12345", s_monday.AddHours(1), CallDisposition.Cancelled, inboundTrunk: "t1");
        Seed.Call(host, "13802512345", "12345", s_monday.AddDays(1), CallDisposition.Answered, 30, extension: "1002", inboundTrunk: "t1");
        Seed.Call(host, "1001", "02088886666", s_monday.AddDays(1), CallDisposition.Answered, 90, outboundTrunk: "t1");
        Seed.Call(host, "1001", "1002", s_monday.AddDays(8), CallDisposition.Answered, 10, extension: "1002");
        // After hours the hotline's duty officer is followed to their mobile: follow-me, not outbound.
        Seed.Call(host, "13802512345", "12345", s_monday.AddDays(9), CallDisposition.Answered, 20, inboundTrunk: "t1", outboundTrunk: "t1", followMe: true);
        Seed.Call(host, "01062345678", "12345", s_monday.AddDays(9), CallDisposition.NoAnswer, inboundTrunk: "t1", outboundTrunk: "t1", followMe: true);
        var stats = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<StatisticsService>(host.Services);
        var from = s_monday.AddDays(-1);
        var to = s_monday.AddDays(20);

        var weeks = stats.Totals(StatsPeriod.Week, from, to);
        Assert.Equal(2, weeks.Count);
        Assert.Equal(new PeriodTotals(new DateOnly(2026, 11, 2), 2, 1, 1, 1, 0, 180), weeks[0]);
        Assert.Equal(1, weeks[1].Internal);
        Assert.Equal((0, 2, 1), (weeks[1].Outbound, weeks[1].FollowMe, weeks[1].FollowMeAnswered));
        Assert.Equal((0, 0), (weeks[0].FollowMe, weeks[0].FollowMeAnswered));
        Assert.Equal("2026-W45", StatisticsService.Label(weeks[0].Start, StatsPeriod.Week));
        Assert.Single(stats.Totals(StatsPeriod.Month, from, to));
        Assert.Equal(4, stats.Totals(StatsPeriod.Day, from, to).Count);

        var perExtension = stats.ByExtension(from, to).ToDictionary(e => e.Extension);
        Assert.Equal(new ExtensionTotals("1001", 1, 2, 160), perExtension["1001"]);
        Assert.Equal(new ExtensionTotals("1002", 2, 0, 40), perExtension["1002"]);

        var areas = stats.ByArea(from, to, "zh", "未知");
        Assert.Equal(new AreaTotals("广东省广州市", 3, 2), areas[0]);
        Assert.Equal(new AreaTotals("北京市", 2, 1), areas[1]);

        using var client = host.As(Roles.Supervisor);
        var csv = await client.GetStringAsync($"/api/stats/export.csv?period=Week&from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}", TestContext.Current.CancellationToken);
        Assert.Contains("2026-W45,2,1,1,1,0,180,0,0", csv);
        Assert.Contains("2026-W46,1,1,0,0,1,30,2,1", csv);
        using var bad = await client.GetAsync($"/api/stats/totals?from={Uri.EscapeDataString(to.ToString("O"))}&to={Uri.EscapeDataString(from.ToString("O"))}", TestContext.Current.CancellationToken);
        Assert.True((await bad.Json()).GetProperty("errors").TryGetProperty("to", out _));
    }
}
