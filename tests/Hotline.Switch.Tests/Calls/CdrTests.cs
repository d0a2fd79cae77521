using Hotline.Switch.Cdrs;
using Hotline.Switch.Store;

namespace Hotline.Switch.Tests.Calls;

public class CdrTests
{
    private static Cdr Make(string caller, string callee, DateTimeOffset start, CallDisposition d = CallDisposition.Answered) => new()
    {
        Id = Guid.NewGuid().ToString("N"), CallId = $"{caller}-{start.Ticks}", Caller = caller, Callee = callee, Start = start,
        Answer = start.AddSeconds(5), End = start.AddSeconds(65), Disposition = d, BillableSeconds = 60, HangupCause = "200 BYE",
        RecordingPath = "/data/recordings/a.wav", Legs = [new CdrLeg { Role = "caller", Peer = caller, Start = start }],
    };

    [Fact]
    public void CDRs_round_trip_through_the_store_and_search_by_time_number_and_disposition()
    {
        using var store = new HotlineStore(new MemoryStream(), "/tmp/x");
        var cdrs = new LiteDbCdrStore(store);
        var t0 = new DateTimeOffset(2031, 3, 1, 8, 0, 0, TimeSpan.FromHours(8));
        cdrs.Add(Make("1001", "1002", t0));
        cdrs.Add(Make("13912345678", "12345", t0.AddHours(1), CallDisposition.NoAnswer));
        cdrs.Add(Make("1003", "1002", t0.AddDays(1)));
        var all = cdrs.Search(new CdrQuery());
        Assert.Equal(3, all.Count);
        Assert.Equal(t0.AddDays(1), all[0].Start); // newest first
        Assert.Equal(t0.AddSeconds(5), cdrs.Search(new CdrQuery(Number: "1001"))[0].Answer);
        Assert.Equal(2, cdrs.Count(new CdrQuery(From: t0, To: t0.AddHours(2))));
        Assert.Equal(2, cdrs.Count(new CdrQuery(Extension: "1002")));
        Assert.Equal("13912345678", Assert.Single(cdrs.Search(new CdrQuery(Disposition: CallDisposition.NoAnswer))).Caller);
        Assert.Single(cdrs.Search(new CdrQuery(Number: "1234"))); // partial numbers match
        var one = cdrs.Get(all[2].Id)!;
        Assert.Equal("caller", Assert.Single(one.Legs).Role);
    }

    [Fact]
    public void CSV_has_a_header_quotes_fields_and_defuses_formulas()
    {
        var c = Make("1001", "1002", new DateTimeOffset(2031, 3, 1, 8, 0, 0, TimeSpan.FromHours(8)));
        c.CallerName = "Zhang, \"Wei\"";
        c.Callee = "=HYPERLINK(\"x\")";
        var csv = CdrCsv.ToCsv([c]);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("id,call_id,start,answer,end,caller,caller_name,callee", lines[0]);
        Assert.Contains("\"Zhang, \"\"Wei\"\"\"", lines[1]);
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\"", lines[1]);
        Assert.Contains("2031-03-01T08:00:00.000+08:00", lines[1]);
        Assert.Contains(",Answered,60,", lines[1]);
    }
}
