using System.Globalization;
using Hotline.Switch.Api;
using Hotline.Switch.Cdrs;
using Hotline.Switch.Store;
using MiniExcelLibs;

namespace Hotline.Admin.Services;

/// <summary>A page of call records and how many match in all.</summary>
public sealed record CdrPage(IReadOnlyList<Cdr> Items, int Total);

/// <summary>Call records for the panel and the API: search, recordings (only files under the data directory), CSV and XLSX exports.</summary>
public sealed class CdrService(ICdrStore cdrs, StorageOptions storage)
{
    /// <summary>Exports stop here: a spreadsheet with more rows is not useful, and memory stays bounded.</summary>
    public const int ExportLimit = 100_000;

    public CdrPage Search(CdrQuery query) => new(cdrs.Search(query with { Limit = Math.Clamp(query.Limit, 1, 1000) }), cdrs.Count(query));

    public Cdr? Get(string id) => cdrs.Get(id);

    /// <summary>Field → problems of a search's parameters.</summary>
    public static Dictionary<string, string[]> Validate(CdrQuery q)
    {
        var errors = new Dictionary<string, string[]>();
        if (q.From is { } f && q.To is { } t && t <= f) errors["To"] = ["must be after From"];
        if (q.Limit is < 1 or > 1000) errors["Limit"] = ["must be between 1 and 1000"];
        if (q.Skip < 0) errors["Skip"] = ["must not be negative"];
        if (q.Number is { Length: > 32 }) errors["Number"] = ["must have at most 32 characters"];
        return errors;
    }

    /// <summary>The recording file of a call (index into its recordings), if it exists inside the data directory.</summary>
    public string? RecordingFile(Cdr cdr, int index = 0)
    {
        var all = Recordings(cdr);
        if (index < 0 || index >= all.Count) return null;
        var root = Path.GetFullPath(storage.DataDirectory) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(all[index], root);
        if (!full.StartsWith(root, StringComparison.Ordinal) || !File.Exists(full)) return null;
        return full;
    }

    public static IReadOnlyList<string> Recordings(Cdr cdr)
    {
        var list = (cdr.Recordings ?? []).Where(r => !string.IsNullOrEmpty(r)).ToList();
        if (list.Count == 0 && !string.IsNullOrEmpty(cdr.RecordingPath)) list.Add(cdr.RecordingPath);
        return list;
    }

    public IEnumerable<Cdr> ForExport(CdrQuery q) => cdrs.Search(q with { Skip = 0, Limit = ExportLimit });

    public void WriteCsv(Stream output, CdrQuery q)
    {
        using var writer = new StreamWriter(output, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        CdrCsv.Write(writer, ForExport(q));
    }

    public void WriteXlsx(Stream output, CdrQuery q)
    {
        var rows = ForExport(q).Select(c => new Dictionary<string, object?>
        {
            ["id"] = c.Id, ["call_id"] = c.CallId, ["start"] = Time(c.Start), ["answer"] = c.Answer is { } a ? Time(a) : null, ["end"] = Time(c.End),
            ["caller"] = c.Caller, ["caller_name"] = c.CallerName, ["callee"] = c.Callee, ["did"] = c.Did, ["extension"] = c.Extension,
            ["inbound_trunk"] = c.InboundTrunk, ["outbound_trunk"] = c.OutboundTrunk, ["disposition"] = c.Disposition.ToString(),
            ["billable_seconds"] = c.BillableSeconds, ["hangup_side"] = c.HangupSide.ToString(), ["hangup_cause"] = c.HangupCause,
            ["recording"] = c.RecordingPath,
        });
        MiniExcel.SaveAs(output, rows, excelType: ExcelType.XLSX);
    }

    private static string Time(DateTimeOffset t) => t.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
}
