using System.Collections.Frozen;

namespace Hotline.Admin.Localization;

/// <summary>
/// The panel's visible strings in Chinese (zh-CN, the default) and English. A component reads them as
/// <c>T["Key"]</c> from the cascading <see cref="Texts"/> of the user's language (cookie "hotline.lang").
/// </summary>
public sealed class Texts
{
    public const string CookieName = "hotline.lang";
    public const string Default = "zh";

    private static readonly Texts s_zh = new("zh", TextTable.Entries.ToFrozenDictionary(e => e.Key, e => e.Value.Zh));
    private static readonly Texts s_en = new("en", TextTable.Entries.ToFrozenDictionary(e => e.Key, e => e.Value.En));
    private readonly FrozenDictionary<string, string> _strings;

    private Texts(string language, FrozenDictionary<string, string> strings)
    {
        Language = language;
        _strings = strings;
    }

    public string Language { get; }

    public bool English => Language == "en";

    /// <summary>The string for <paramref name="key"/>; the key itself when missing (a test checks none is).</summary>
    public string this[string key] => _strings.TryGetValue(key, out var s) ? s : key;

    public string Format(string key, params object?[] args) => string.Format(System.Globalization.CultureInfo.InvariantCulture, this[key], args);

    public bool Has(string key) => _strings.ContainsKey(key);

    public static bool IsLanguage(string? language) => language is "zh" or "en";

    public static string LanguageOf(string? cookie) => IsLanguage(cookie) ? cookie! : Default;

    public static Texts For(string? language) => language == "en" ? s_en : s_zh;
}
