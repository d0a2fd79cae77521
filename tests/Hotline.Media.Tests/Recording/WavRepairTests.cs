using System.Globalization;
using System.Text.RegularExpressions;
using Hotline.Media.Recording;
using Hotline.Media.Tests.Mixing;
using Microsoft.Extensions.Time.Testing;

namespace Hotline.Media.Tests.Recording;

public partial class WavRepairTests
{
    /// <summary>
    /// Records 3 s of a 400 Hz tone with the real writer and takes the file exactly as a process
    /// killed at that moment would leave it: header sizes as of the last update (1 s in), the audio
    /// written since then after it, and a torn last sample (one stray byte).
    /// </summary>
    private static async Task<string> AbandonedRecording(TempDirectory dir, string name)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2031, 7, 3, 9, 0, 0, TimeSpan.Zero));
        string live = dir.File("live-" + name);
        await using (var writer = new RecordingWriter(new RecordingWriterOptions { OpenStream = WavRecorderTests.Unbuffered }, time))
        {
            var recorder = writer.Start(live, 8000, WavChannelLayout.Mono);
            var tone = new SineSource(400, 8000, 10000);
            for (int i = 0; i < 50; i++)
                recorder.Write(tone.Next(160));
            await writer.DrainAsync();
            time.Advance(TimeSpan.FromSeconds(1));
            await writer.DrainAsync();       // header now says 1 s
            for (int i = 0; i < 100; i++)
                recorder.Write(tone.Next(160));
            await writer.DrainAsync();       // 3 s on disk, header still says 1 s

            string crashed = Path.Combine(dir.Path, "2031", "07", "03", name);
            Directory.CreateDirectory(Path.GetDirectoryName(crashed)!);
            using (var source = new FileStream(live, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            using (var copy = File.Create(crashed))
            {
                source.CopyTo(copy);
                copy.WriteByte(0x5A);        // half of a sample that never got its second byte
            }
            var sizes = WavReading.HeaderSizes(crashed);
            Assert.Equal(50u * 320, sizes.Data);
            Assert.Equal(44 + 150 * 320 + 1, sizes.FileLength);
            await recorder.StopAsync();
        }
        File.Delete(live);
        return Path.Combine(dir.Path, "2031", "07", "03", name);
    }

    [Fact]
    public async Task Crashed_recording_is_repaired_and_sox_reads_its_full_duration_and_frequency()
    {
        ExternalTool.Require("sox");
        using var dir = new TempDirectory();
        string crashed = await AbandonedRecording(dir, "call-1.wav");

        var results = WavRepair.RepairTree(dir.Path);

        var result = Assert.Single(results);
        Assert.Equal(WavRepairOutcome.Repaired, result.Outcome);
        Assert.Equal(50 * 320, result.DeclaredDataBytes);
        Assert.Equal(150 * 320, result.DataBytes);
        Assert.Contains("partial sample", result.Detail);
        var sizes = WavReading.HeaderSizes(crashed);
        Assert.Equal((150u * 320, 44L + 150 * 320), (sizes.Data, sizes.FileLength));
        Assert.Equal((uint)sizes.FileLength - 8, sizes.Riff);

        var (exit, duration, err) = ExternalTool.Run("sox", "--i", "-D", crashed);
        Assert.True(exit == 0, err);
        Assert.Equal(3.0, double.Parse(duration.Trim(), CultureInfo.InvariantCulture), 3);

        var stat = ExternalTool.Run("sox", crashed, "-n", "stat");
        Assert.True(stat.ExitCode == 0, stat.Stderr);
        Assert.Equal(3.0, StatValue(stat.Stderr, "Length (seconds)"), 3);
        // sox estimates frequency from zero crossings: its own 400 Hz tone reads 398 at 8 kHz.
        Assert.InRange(StatValue(stat.Stderr, "Rough   frequency"), 390, 410);
        Assert.InRange(StatValue(stat.Stderr, "Maximum amplitude"), 0.30, 0.31);   // 10000 / 32768
    }

    [Fact]
    public void Header_left_at_zero_by_a_writer_that_never_updated_it_is_repaired()
    {
        ExternalTool.Require("sox");
        using var dir = new TempDirectory();
        string path = dir.File("never-updated.wav");
        var pcm = SineSource.Generate(500, 16000, 8000, 16000 * 2 + 123);   // 2 s + 123 samples
        WriteRawWav(path, 16000, channels: 1, pcm, declaredRiff: 0, declaredData: 0, extraBytes: [0x01]);

        var result = WavRepair.RepairFile(path);

        Assert.Equal(WavRepairOutcome.Repaired, result.Outcome);
        Assert.Equal(pcm.Length * 2, result.DataBytes);
        var (exit, duration, err) = ExternalTool.Run("sox", "--i", "-D", path);
        Assert.True(exit == 0, err);
        Assert.Equal(pcm.Length / 16000.0, double.Parse(duration.Trim(), CultureInfo.InvariantCulture), 4);
        var stat = ExternalTool.Run("sox", path, "-n", "stat");
        Assert.InRange(StatValue(stat.Stderr, "Rough   frequency"), 490, 510);
    }

    [Fact]
    public void Streaming_sentinel_size_and_a_torn_stereo_frame_are_repaired_to_whole_frames()
    {
        using var dir = new TempDirectory();
        string path = dir.File("stereo.wav");
        var pcm = new short[2 * 800];
        WriteRawWav(path, 8000, channels: 2, pcm, declaredRiff: uint.MaxValue, declaredData: uint.MaxValue, extraBytes: [1, 2, 3]);

        var result = WavRepair.RepairFile(path);

        Assert.Equal(WavRepairOutcome.Repaired, result.Outcome);
        Assert.Equal(3200, result.DataBytes);
        Assert.Equal(44 + 3200, new FileInfo(path).Length);
        var (format, ch) = WavReading.Read(path);
        Assert.Equal(2, format.Channels);
        Assert.Equal(800, ch[1].Length);
    }

    [Fact]
    public async Task Good_files_are_left_alone_and_files_that_are_not_wav_are_refused()
    {
        using var dir = new TempDirectory();
        string good;
        await using (var writer = new RecordingWriter())
        {
            var recorder = writer.Start(dir.File("good.wav"), 8000, WavChannelLayout.Stereo);
            for (int i = 0; i < 20; i++)
                recorder.WriteStereo(SineSource.Generate(300, 8000, 1000, 160), default);
            await recorder.StopAsync();
            good = recorder.Path;
        }
        string withList = dir.File("sub/with-list.wav");
        Directory.CreateDirectory(Path.GetDirectoryName(withList)!);
        // A correct file with a LIST chunk after the audio: trailing chunks aren't audio.
        WriteRawWav(withList, 8000, 1, new short[100], declaredRiff: null, declaredData: null, extraBytes: [.. "LIST"u8, 4, 0, 0, 0, .. "INFO"u8]);
        string text = dir.File("notes.WAV");
        File.WriteAllText(text, "this is not audio at all");
        string empty = dir.File("empty.wav");
        File.WriteAllBytes(empty, []);
        var before = new[] { good, withList, text, empty }.ToDictionary(p => p, File.ReadAllBytes);

        var results = WavRepair.RepairTree(dir.Path).ToDictionary(r => r.Path);

        Assert.Equal(4, results.Count);
        Assert.Equal(WavRepairOutcome.Intact, results[good].Outcome);
        Assert.Equal(WavRepairOutcome.Intact, results[withList].Outcome);
        Assert.Equal(WavRepairOutcome.NotWav, results[text].Outcome);
        Assert.Contains("not RIFF", results[text].Detail);
        Assert.Equal(WavRepairOutcome.NotWav, results[empty].Outcome);
        foreach (var (path, bytes) in before)
            Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void Missing_folder_yields_an_empty_report()
    {
        Assert.Empty(WavRepair.RepairTree(Path.Combine(Path.GetTempPath(), "hotline-no-such-" + Guid.NewGuid().ToString("N"))));
    }

    /// <summary>A canonical 44-byte-header PCM16 WAV with chosen (possibly wrong) sizes and trailing bytes.</summary>
    private static void WriteRawWav(string path, int rate, int channels, short[] pcm, uint? declaredRiff, uint? declaredData, byte[] extraBytes)
    {
        int dataBytes = pcm.Length * 2;
        using var w = new BinaryWriter(File.Create(path));
        w.Write("RIFF"u8);
        w.Write(declaredRiff ?? (uint)(36 + dataBytes + extraBytes.Length));
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)1);
        w.Write((short)channels);
        w.Write(rate);
        w.Write(rate * channels * 2);
        w.Write((short)(channels * 2));
        w.Write((short)16);
        w.Write("data"u8);
        w.Write(declaredData ?? (uint)dataBytes);
        foreach (short s in pcm)
            w.Write(s);
        w.Write(extraBytes);
    }

    private static double StatValue(string soxStat, string name)
    {
        var match = Regex.Match(soxStat, "^" + Regex.Escape(name) + @"[^:]*:\s*(\S+)", RegexOptions.Multiline);
        Assert.True(match.Success, $"'{name}' not in sox stat output:\n{soxStat}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
