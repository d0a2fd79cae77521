using System.Net;
using System.Net.Http.Headers;
using Hotline.Admin.Security;
using Hotline.Switch.Cdrs;
using MiniExcelLibs;

namespace Hotline.Admin.Tests;

public sealed class CdrApiTests
{
    private static readonly DateTimeOffset s_day = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task Search_filters_by_time_number_extension_trunk_and_disposition()
    {
        await using var host = await AdminHost.StartAsync();
        Seed.Call(host, "01062345678", "12345", s_day, CallDisposition.Answered, extension: "1001", inboundTrunk: "unicom");
        Seed.Call(host, "13800138000", "12345", s_day.AddHours(1), CallDisposition.Cancelled, inboundTrunk: "unicom");
        Seed.Call(host, "1001", "1002", s_day.AddDays(1), CallDisposition.Answered, extension: "1002");
        using var client = host.As(Roles.Supervisor);
        async Task<int> Count(string query) =>
            (await (await client.GetAsync("/api/cdrs?" + query, TestContext.Current.CancellationToken)).Json()).GetProperty("total").GetInt32();
        Assert.Equal(3, await Count(""));
        Assert.Equal(1, await Count("number=138001"));
        Assert.Equal(2, await Count("trunk=unicom"));
        Assert.Equal(1, await Count("disposition=Cancelled"));
        Assert.Equal(2, await Count("extension=1001"));
        Assert.Equal(2, await Count($"from={Uri.EscapeDataString(s_day.ToString("O"))}&to={Uri.EscapeDataString(s_day.AddHours(12).ToString("O"))}"));
        using var bad = await client.GetAsync($"/api/cdrs?from={Uri.EscapeDataString(s_day.ToString("O"))}&to={Uri.EscapeDataString(s_day.AddHours(-1).ToString("O"))}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Json()).GetProperty("errors").TryGetProperty("To", out _));
    }

    [Fact]
    public async Task The_recording_is_served_as_wav_with_range_requests_and_as_a_download()
    {
        await using var host = await AdminHost.StartAsync();
        var cdr = Seed.Call(host, "1001", "1002", s_day, CallDisposition.Answered, extension: "1002", recorded: true);
        using var client = host.As(Roles.Supervisor);
        using var full = await client.GetAsync($"/api/cdrs/{cdr.Id}/recording", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal("audio/wav", full.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Seed.Wav(), await full.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        var ranged = new HttpRequestMessage(HttpMethod.Get, $"/api/cdrs/{cdr.Id}/recording");
        ranged.Headers.Range = new RangeHeaderValue(44, 143);
        using var part = await client.SendAsync(ranged, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(100, (await part.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length);
        using var download = await client.GetAsync($"/api/cdrs/{cdr.Id}/recording?download=true", TestContext.Current.CancellationToken);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/cdrs/{cdr.Id}/recording?index=1", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task A_recording_path_outside_the_data_directory_is_not_served()
    {
        await using var host = await AdminHost.StartAsync();
        var outside = Path.Combine(Path.GetTempPath(), $"outside-{Guid.NewGuid():N}.wav");
        await File.WriteAllBytesAsync(outside, Seed.Wav(), TestContext.Current.CancellationToken);
        var cdr = Seed.Call(host, "1001", "1002", s_day, CallDisposition.Answered);
        cdr.Id = Guid.NewGuid().ToString("N");
        cdr.RecordingPath = outside;
        cdr.Recordings = [outside, "../../etc/passwd"];
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ICdrStore>(host.Services).Add(cdr);
        using var client = host.As(Roles.Admin);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/cdrs/{cdr.Id}/recording", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/cdrs/{cdr.Id}/recording?index=1", TestContext.Current.CancellationToken)).StatusCode);
        File.Delete(outside);
    }

    [Fact]
    public async Task Exports_csv_and_xlsx_hold_the_matching_records()
    {
        await using var host = await AdminHost.StartAsync();
        Seed.Call(host, "01062345678", "12345", s_day, CallDisposition.Answered, extension: "1001", inboundTrunk: "unicom");
        Seed.Call(host, "=cmd|'/c calc'!A1", "12345", s_day.AddMinutes(5), CallDisposition.NoAnswer, inboundTrunk: "unicom");
        Seed.Call(host, "1003", "1004", s_day.AddMinutes(9), CallDisposition.Busy);
        using var client = host.As(Roles.Supervisor);
        using var csv = await client.GetAsync("/api/cdrs/export.csv?trunk=unicom", TestContext.Current.CancellationToken);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var text = await csv.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var lines = text.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("id,call_id,start", lines[0]);
        Assert.Contains(lines, l => l.Contains(",'=cmd|'/c calc'!A1,", StringComparison.Ordinal));

        using var xlsx = await client.GetAsync("/api/cdrs/export.xlsx?disposition=Answered", TestContext.Current.CancellationToken);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
        var rows = MiniExcel.Query(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)), useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        var row = Assert.Single(rows);
        Assert.Equal("01062345678", row["caller"]?.ToString());
        Assert.Equal("Answered", row["disposition"]?.ToString());
    }
}
