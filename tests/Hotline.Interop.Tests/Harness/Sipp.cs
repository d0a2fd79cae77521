using System.Globalization;
using System.Text.RegularExpressions;

namespace Hotline.Interop.Tests.Harness;

/// <summary>How to run SIPp as a UAC for one scenario.</summary>
public sealed record SippOptions
{
    /// <summary>-t: u1 (UDP, one socket) or t1 (TCP, one connection).</summary>
    public string Transport { get; init; } = "u1";
    /// <summary>-s: the user part of the Request-URI, [service] in scenarios.</summary>
    public string? Service { get; init; }
    public string? AuthUser { get; init; }
    public string? AuthPassword { get; init; }
    /// <summary>-inf: the injection CSV ([field0], [field1] …).</summary>
    public string? InjectionFile { get; init; }
    /// <summary>-m: calls to make before exiting.</summary>
    public int Calls { get; init; } = 1;
    /// <summary>-r (per second): new calls per second.</summary>
    public int? Rate { get; init; }
    /// <summary>-l: calls in progress at most.</summary>
    public int? Limit { get; init; }
    /// <summary>-timeout with -timeout_error: SIPp gives up (exit 255) after this many seconds (cookbook gotcha 2).</summary>
    public int TimeoutSeconds { get; init; } = 30;
    public bool TraceMessages { get; init; } = true;
    /// <summary>-p: SIPp's own SIP port (a trunk is recognised by its source address and port); a free one when null.</summary>
    public int? LocalPort { get; init; }
    /// <summary>Arguments added at the end (-rtp_echo, -set …).</summary>
    public IReadOnlyList<string> Extra { get; init; } = [];
}

/// <summary>What a SIPp run left: exit code, the last line of its statistics CSV, the responses it saw.</summary>
public sealed record SippResult(int ExitCode, IReadOnlyDictionary<string, string> Stats, IReadOnlyList<int> ResponseCodes,
    string Messages, string Errors, ExternalProcess Process)
{
    /// <summary>A counter from the statistics CSV, e.g. "SuccessfulCall(C)"; -1 when SIPp wrote none.</summary>
    public long Stat(string column) =>
        Stats.TryGetValue(column, out var v) && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : -1;

    /// <summary>Response codes in order with immediate repeats (UDP retransmissions) folded: e.g. 401,200.</summary>
    public string Codes => string.Join(',', ResponseCodes.Where((c, i) => i == 0 || ResponseCodes[i - 1] != c));

    public string Summary => $"sipp exit {ExitCode}, responses {Codes}, successful {Stat("SuccessfulCall(C)")}, failed {Stat("FailedCall(C)")}";
}

/// <summary>
/// Runs SIPp 3.6 against the switch the way the interop cookbook found reliable: everything on
/// 127.0.0.1 (-i, -ci), its own free SIP, media and control ports (SIPp defaults to 5060, 6000 and
/// 8888, which parallel runs would fight over), -nostdin, -timeout with -timeout_error, and no BYE
/// when a REGISTER "call" is aborted (-default_behaviors all,-bye).
/// </summary>
public static class Sipp
{
    private static readonly Regex StatusLine = new(@"^SIP/2\.0 (\d{3}) ", RegexOptions.Multiline | RegexOptions.Compiled);

    public static string Scenario(string file) => Path.Combine(AppContext.BaseDirectory, "Scenarios", file);

    public static IReadOnlyList<string> Arguments(string target, string scenario, string directory, string name, SippOptions o)
    {
        var args = new List<string>
        {
            target, "-sf", scenario, "-t", o.Transport,
            "-i", "127.0.0.1", "-p", (o.LocalPort ?? FreePorts.UdpAndTcp()).ToString(CultureInfo.InvariantCulture),
            "-mi", "127.0.0.1", "-mp", FreePorts.SippMedia().ToString(CultureInfo.InvariantCulture),
            "-ci", "127.0.0.1", "-cp", FreePorts.Udp().ToString(CultureInfo.InvariantCulture),
            "-nostdin", "-m", o.Calls.ToString(CultureInfo.InvariantCulture),
            "-default_behaviors", "all,-bye",
            "-timeout", $"{o.TimeoutSeconds}s", "-timeout_error", "-max_retrans", "5",
            "-trace_stat", "-stf", Path.Combine(directory, name + ".stat.csv"),
            "-trace_err", "-error_file", Path.Combine(directory, name + ".err.log"),
        };
        if (o.TraceMessages) args.AddRange(["-trace_msg", "-message_file", Path.Combine(directory, name + ".msg.log")]);
        if (o.Service is not null) args.AddRange(["-s", o.Service]);
        if (o.AuthUser is not null) args.AddRange(["-au", o.AuthUser]);
        if (o.AuthPassword is not null) args.AddRange(["-ap", o.AuthPassword]);
        if (o.InjectionFile is not null) args.AddRange(["-inf", o.InjectionFile]);
        if (o.Rate is { } r) args.AddRange(["-r", r.ToString(CultureInfo.InvariantCulture), "-rp", "1000"]);
        if (o.Limit is { } l) args.AddRange(["-l", l.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(o.Extra);
        return args;
    }

    /// <summary>Reads what a finished SIPp run left in <paramref name="directory"/>.</summary>
    public static SippResult Result(ExternalProcess process, int exitCode, string directory, string name)
    {
        var messages = ReadOrEmpty(Path.Combine(directory, name + ".msg.log"));
        var codes = StatusLine.Matches(messages).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        return new SippResult(exitCode, ReadStats(Path.Combine(directory, name + ".stat.csv")), codes, messages,
            ReadOrEmpty(Path.Combine(directory, name + ".err.log")), process);
    }

    /// <summary>Header and last line of a -trace_stat CSV (';'-separated), as column → value.</summary>
    public static IReadOnlyDictionary<string, string> ReadStats(string path)
    {
        var lines = File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0).ToList() : [];
        if (lines.Count < 2) return new Dictionary<string, string>();
        var names = lines[0].Split(';');
        var values = lines[^1].Split(';');
        var stats = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length && i < values.Length; i++) stats.TryAdd(names[i], values[i]);
        return stats;
    }

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
