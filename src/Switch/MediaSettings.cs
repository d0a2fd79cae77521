using System.Net;
using Hotline.Media.Engine;

namespace Hotline.Switch;

/// <summary>Configuration section "Media" (the media engine's options in configuration-friendly form).</summary>
public sealed class MediaSettings
{
    /// <summary>Address the RTP sockets bind to; defaults to Sip:ListenAddress.</summary>
    public string? BindAddress { get; set; }
    /// <summary>Address written in SDP; defaults to Sip:PublicAddress, else the bind address.</summary>
    public string? AdvertisedAddress { get; set; }
    public int RtpPortMin { get; set; } = 20000;
    public int RtpPortMax { get; set; } = 39998;
    /// <summary>Media worker threads; 0 means one per processor.</summary>
    public int Workers { get; set; }
    /// <summary>Codecs by rtpmap name, most preferred first.</summary>
    public string[]? Codecs { get; set; }
    /// <summary>Linux nice value of the media worker threads, the recording writer and the collection pacer (-20..19; below 0 needs root or CAP_SYS_NICE), see MediaEngineOptions.WorkerNice.</summary>
    public int WorkerNice { get; set; }
    /// <summary>How far (ms) a stalled media worker may fall behind and still run every missed tick, see MediaEngineOptions.MaxTickCatchUp.</summary>
    public int MaxTickCatchUpMs { get; set; } = 500;
    /// <summary>How often (ms) the collection pacer looks, see CollectionPacer; 0 leaves collections to the runtime alone.</summary>
    public int GcPaceMs { get; set; } = 25;
    /// <summary>Allocation (KB) since the last collection that makes the pacer collect.</summary>
    public int GcPaceKb { get; set; } = 256;
    /// <summary>Folder of WAV files for music on hold (relative to the data directory unless absolute).</summary>
    public string MusicOnHoldFolder { get; set; } = "moh";

    /// <summary>The process's collection pacer (not started), or null when Media:GcPaceMs is 0.</summary>
    public CollectionPacer? CollectionPacer()
    {
        if (GcPaceMs == 0)
            return null;
        try
        {
            return new CollectionPacer(TimeSpan.FromMilliseconds(GcPaceMs), GcPaceKb * 1024L, WorkerNice);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // The pacer holds the limits; here they are named by the configuration key.
            var (key, value) = e.ParamName switch
            {
                "interval" => ("Media:GcPaceMs", GcPaceMs),
                "bytes" => ("Media:GcPaceKb", GcPaceKb),
                _ => ("Media:WorkerNice", WorkerNice),
            };
            throw new InvalidOperationException($"{key} {value} is out of range: {e.Message}", e);
        }
    }

    public MediaEngineOptions ToEngineOptions(SipOptions sip, string dataDirectory)
    {
        IPAddress Parse(string? value, string key) =>
            IPAddress.TryParse(value, out var ip) ? ip : throw new InvalidOperationException($"{key} '{value}' is not an IP address");
        if (RtpPortMin is < 1024 or > 65534 || RtpPortMax < RtpPortMin || RtpPortMax > 65534)
            throw new InvalidOperationException($"Media:RtpPortMin/RtpPortMax {RtpPortMin}-{RtpPortMax} is not a port range within 1024-65534");
        if (Workers < 0) throw new InvalidOperationException("Media:Workers must not be negative");
        if (MaxTickCatchUpMs is < 0 or > 2000) throw new InvalidOperationException($"Media:MaxTickCatchUpMs {MaxTickCatchUpMs} is not within 0-2000");
        var bind = Parse(BindAddress ?? sip.ListenAddress, "Media:BindAddress");
        var advertised = AdvertisedAddress ?? sip.PublicAddress;
        return new MediaEngineOptions
        {
            BindAddress = bind,
            AdvertisedAddress = advertised is null ? null : Parse(advertised, "Media:AdvertisedAddress"),
            RtpPortMin = RtpPortMin % 2 == 0 ? RtpPortMin : RtpPortMin + 1,
            RtpPortMax = RtpPortMax,
            Workers = Workers > 0 ? Workers : Environment.ProcessorCount,
            Codecs = Codecs is { Length: > 0 } c ? c : ["PCMA", "PCMU", "G722", "opus"],
            MusicOnHoldFolder = Path.IsPathRooted(MusicOnHoldFolder) ? MusicOnHoldFolder : Path.Combine(dataDirectory, MusicOnHoldFolder),
            RecordingsRoot = dataDirectory,
            WorkerNice = WorkerNice,
            MaxTickCatchUp = TimeSpan.FromMilliseconds(MaxTickCatchUpMs),
        };
    }
}
