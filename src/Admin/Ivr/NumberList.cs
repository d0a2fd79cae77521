using System.Text;
using MiniExcelLibs;

namespace Hotline.Admin.Ivr;

/// <summary>A number from an uploaded list and the line it was on (1-based, as a spreadsheet or editor shows it).</summary>
public readonly record struct ListedNumber(string Number, int Line);

/// <summary>
/// Reads a campaign's number list from an upload: an Excel workbook (.xlsx, first column of the first sheet)
/// or text (.csv/.txt, UTF-8: one number per line, the first field when a line has several). A first line
/// without digits is a heading ("号码", "number") and is skipped; blank lines are skipped.
/// </summary>
public static class NumberList
{
    public const long MaxBytes = 20 * 1024 * 1024;

    public static IReadOnlyList<ListedNumber> Read(Stream upload, string fileName)
    {
        using var buffer = new MemoryStream();
        upload.CopyTo(buffer);
        buffer.Position = 0;
        var cells = fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || IsZip(buffer) ? Workbook(buffer) : Text(buffer);
        var list = new List<ListedNumber>();
        foreach (var (cell, line) in cells)
        {
            var text = cell.Trim().Trim('"', '\'').Trim();
            if (text.Length == 0) continue;
            if (list.Count == 0 && line == 1 && !text.Any(char.IsAsciiDigit)) continue;
            list.Add(new ListedNumber(text, line));
        }
        return list;
    }

    /// <summary>Numbers typed or pasted: one per line, or separated by commas or spaces.</summary>
    public static IReadOnlyList<ListedNumber> Parse(string text) =>
        text.Split('\n').SelectMany((l, i) => l.Split([',', ';', '\t', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => new ListedNumber(n, i + 1))).ToList();

    private static bool IsZip(MemoryStream s) => s.Length > 4 && s.GetBuffer() is var b && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;

    private static IEnumerable<(string Cell, int Line)> Workbook(Stream stream)
    {
        var line = 0;
        foreach (var row in MiniExcel.Query(stream, useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>())
        {
            line++;
            var first = row.Values.FirstOrDefault();
            yield return (first switch
            {
                null => "",
                double d => d.ToString("0", System.Globalization.CultureInfo.InvariantCulture),
                _ => Convert.ToString(first, System.Globalization.CultureInfo.InvariantCulture) ?? "",
            }, line);
        }
    }

    private static IEnumerable<(string Cell, int Line)> Text(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            var end = text.IndexOfAny([',', ';', '\t']);
            yield return (end < 0 ? text : text[..end], line);
        }
    }
}
