using Hotline.Switch.Cdrs;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Admin.Tests;

internal static class Seed
{
    /// <summary>A valid 8 kHz mono 16-bit WAV of <paramref name="samples"/> samples of a 440 Hz tone.</summary>
    public static byte[] Wav(int samples = 8000)
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write("RIFF"u8); w.Write(36 + samples * 2); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(8000); w.Write(16000); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(samples * 2);
        for (var i = 0; i < samples; i++) w.Write((short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 8000)));
        w.Flush();
        return ms.ToArray();
    }

    public static Cdr Call(AdminHost host, string caller, string callee, DateTimeOffset start, CallDisposition disposition, int seconds = 30,
        string? extension = null, string? inboundTrunk = null, string? outboundTrunk = null, bool recorded = false, bool followMe = false)
    {
        var id = Guid.NewGuid().ToString("N");
        string? recording = null;
        if (recorded)
        {
            recording = Path.Combine(host.DataDirectory, "recordings", start.ToString("yyyy"), start.ToString("MM"), start.ToString("dd"), id + ".wav");
            Directory.CreateDirectory(Path.GetDirectoryName(recording)!);
            File.WriteAllBytes(recording, Wav());
        }
        var cdr = new Cdr
        {
            Id = id, CallId = id + "@test", Caller = caller, Callee = callee, Extension = extension, InboundTrunk = inboundTrunk, OutboundTrunk = outboundTrunk, FollowMe = followMe,
            Start = start, Answer = disposition == CallDisposition.Answered ? start.AddSeconds(5) : null, End = start.AddSeconds(5 + seconds),
            Disposition = disposition, BillableSeconds = disposition == CallDisposition.Answered ? seconds : 0, HangupCause = "200 BYE",
            RecordingPath = recording, Recordings = recording is null ? [] : [recording],
        };
        host.Services.GetRequiredService<ICdrStore>().Add(cdr);
        return cdr;
    }
}
