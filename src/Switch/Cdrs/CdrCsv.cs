using System.Globalization;
using System.Text;

namespace Hotline.Switch.Cdrs;

/// <summary>CDRs as CSV (RFC 4180): a header row, one row per call, times in ISO 8601 with offset.</summary>
public static class CdrCsv
{
    private static readonly string[] s_columns =
    [
        "id", "call_id", "start", "answer", "end", "caller", "caller_name", "callee", "did", "extension",
        "inbound_trunk", "outbound_trunk", "disposition", "billable_seconds", "hangup_side", "hangup_cause", "recording",
    ];

    public static void Write(TextWriter writer, IEnumerable<Cdr> cdrs)
    {
        writer.Write(string.Join(',', s_columns));
        writer.Write("\r\n");
        foreach (var c in cdrs)
        {
            string?[] row =
            [
                c.Id, c.CallId, Time(c.Start), c.Answer is { } a ? Time(a) : "", Time(c.End), c.Caller, c.CallerName, c.Callee, c.Did,
                c.Extension, c.InboundTrunk, c.OutboundTrunk, c.Disposition.ToString(), c.BillableSeconds.ToString(CultureInfo.InvariantCulture),
                c.HangupSide.ToString(), c.HangupCause, c.RecordingPath,
            ];
            writer.Write(string.Join(',', row.Select(Quote)));
            writer.Write("\r\n");
        }
    }

    public static string ToCsv(IEnumerable<Cdr> cdrs)
    {
        using var w = new StringWriter(CultureInfo.InvariantCulture);
        Write(w, cdrs);
        return w.ToString();
    }

    private static string Time(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary>Quotes a field when it holds a comma, quote or line break; a leading = + - @ is prefixed with ' so spreadsheets don't run it as a formula.</summary>
    private static string Quote(string? field)
    {
        if (string.IsNullOrEmpty(field)) return "";
        if (field[0] is '=' or '+' or '-' or '@' && !double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) field = "'" + field;
        if (field.IndexOfAny([',', '"', '\r', '\n']) < 0) return field;
        return "\"" + field.Replace("\"", "\"\"") + "\"";
    }
}
