using System.Text.RegularExpressions;
using Hotline.Admin.Localization;

namespace Hotline.Admin.Tests;

public sealed partial class TextsTests
{
    [GeneratedRegex("T\\[\"([A-Za-z.]+)\"\\]|T\\.Format\\(\"([A-Za-z.]+)\"")]
    private static partial Regex Lookup();

    [Fact]
    public void Every_string_the_pages_use_exists_in_chinese_and_english()
    {
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Admin"));
        var files = Directory.EnumerateFiles(root, "*.razor", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        var missing = new List<string>();
        foreach (var file in files)
        {
            foreach (Match m in Lookup().Matches(File.ReadAllText(file)))
            {
                var key = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
                if (key.EndsWith('.')) continue; // a prefix completed at run time (checked below)
                if (!Texts.For("zh").Has(key) || !Texts.For("en").Has(key)) missing.Add($"{Path.GetFileName(file)}: {key}");
            }
        }
        Assert.Empty(missing);
        foreach (var prefix in new[] { "Role.admin", "Role.supervisor", "Role.agent", "CallState.Answered", "CallState.Ringing", "Disposition.Answered", "Disposition.Rejected",
            "Class.internal", "Class.international", "Period.Day", "Period.Month", "Group.Monitor", "Group.System", "Field.Number", "Field.Password" })
            Assert.True(Texts.For("zh").Has(prefix), prefix);
    }

    [Fact]
    public void Chinese_is_the_default_and_english_the_switch()
    {
        Assert.Equal("分机", Texts.For(Texts.LanguageOf(null))["Extensions"]);
        Assert.Equal("Extensions", Texts.For(Texts.LanguageOf("en"))["Extensions"]);
        Assert.Equal("zh", Texts.LanguageOf("fr"));
    }
}
