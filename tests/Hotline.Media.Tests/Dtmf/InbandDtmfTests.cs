using Hotline.Media.Dtmf;

namespace Hotline.Media.Tests.Dtmf;

public class InbandDtmfTests
{
    private const string AllKeys = "123A456B789C*0#D";

    /// <summary>Builds a signal: silence, then each key's tone with silence after it, as 16-bit PCM.</summary>
    private static short[] KeySequence(int sampleRate, string keys, double levelDbm0, double twistDb,
        int toneMs = 80, int gapMs = 80, double? snrDb = null, int seed = 1)
    {
        var generator = new DtmfToneGenerator(sampleRate);
        int tone = sampleRate * toneMs / 1000, gap = sampleRate * gapMs / 1000;
        var pcm = new short[gap + keys.Length * (tone + gap)];
        int offset = gap;
        foreach (char key in keys)
        {
            generator.Start(key, levelDbm0, twistDb);
            generator.Write(pcm.AsSpan(offset, tone));
            offset += tone + gap;
        }
        if (snrDb is double snr)
        {
            // White Gaussian noise at the given SNR relative to the two tones' combined power.
            double a1 = 32767 * Math.Pow(10, (levelDbm0 - 3.14) / 20), a2 = a1 * Math.Pow(10, twistDb / 20);
            double signalPower = (a1 * a1 + a2 * a2) / 2;
            double sigma = Math.Sqrt(signalPower / Math.Pow(10, snr / 10));
            var rng = new Random(seed);
            for (int i = 0; i < pcm.Length; i++)
            {
                double gauss = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                pcm[i] = (short)Math.Clamp(pcm[i] + sigma * gauss, short.MinValue, short.MaxValue);
            }
        }
        return pcm;
    }

    /// <summary>Runs the detector over 20 ms frames, like a media worker would.</summary>
    private static string Detect(InbandDtmfDetector detector, short[] pcm)
    {
        int frame = detector.SampleRate / 50;
        var found = new char[4];
        var digits = new System.Text.StringBuilder();
        for (int offset = 0; offset < pcm.Length; offset += frame)
        {
            int n = detector.Process(pcm.AsSpan(offset, Math.Min(frame, pcm.Length - offset)), found);
            digits.Append(found, 0, n);
        }
        return digits.ToString();
    }

    public static TheoryData<int, double, double, double> LevelsNoiseAndTwist => new()
    {
        // sample rate, level of the low tone (dBm0), twist (dB, high tone relative to low), SNR (dB)
        { 8000, -10, 0, 20 },
        { 8000, -15, 2, 18 },
        { 8000, -20, -4, 15 },
        { 8000, -25, 0, 15 },
        { 8000, -22, 3, 15 },
        { 8000, -12, -6, 15 },
        { 16000, -10, 0, 20 },
        { 16000, -25, 2, 15 },
        { 16000, -18, -5, 15 },
    };

    [Theory]
    [MemberData(nameof(LevelsNoiseAndTwist))]
    public void All_16_keys_are_detected_once_each_at_realistic_levels_in_noise(int sampleRate, double level, double twist, double snr)
    {
        var pcm = KeySequence(sampleRate, AllKeys, level, twist, snrDb: snr, seed: (int)(level * 100 + twist));
        Assert.Equal(AllKeys, Detect(new InbandDtmfDetector(sampleRate), pcm));
    }

    [Theory]
    [InlineData(7)]   // high group 7 dB stronger: beyond the 4 dB reverse-twist limit
    [InlineData(-11)] // high group 11 dB weaker: beyond the 8 dB normal-twist limit
    public void Keys_are_rejected_when_twist_exceeds_the_limits(double twist)
    {
        var pcm = KeySequence(8000, AllKeys, -15, twist);
        Assert.Equal("", Detect(new InbandDtmfDetector(8000), pcm));
    }

    [Fact]
    public void Tones_weaker_than_the_minimum_level_are_ignored()
    {
        var pcm = KeySequence(8000, "159", -38, 0);
        Assert.Equal("", Detect(new InbandDtmfDetector(8000), pcm));
    }

    [Fact]
    public void A_tone_shorter_than_the_minimum_duration_is_ignored_and_one_just_over_it_is_kept()
    {
        Assert.Equal("", Detect(new InbandDtmfDetector(8000), KeySequence(8000, "123", -10, 0, toneMs: 20)));
        Assert.Equal("123", Detect(new InbandDtmfDetector(8000), KeySequence(8000, "123", -10, 0, toneMs: 42)));
    }

    [Fact]
    public void One_long_key_press_with_a_dropout_is_one_digit_and_a_real_pause_makes_two()
    {
        var pcm = KeySequence(8000, "5", -10, 0, toneMs: 400, gapMs: 100);
        // A 5 ms dropout in the middle of the press (e.g. a lost packet concealed with silence).
        Array.Clear(pcm, 800 + 1600, 40);
        Assert.Equal("5", Detect(new InbandDtmfDetector(8000), pcm));
        Assert.Equal("55", Detect(new InbandDtmfDetector(8000), KeySequence(8000, "55", -10, 0, toneMs: 60, gapMs: 50)));
    }

    [Fact]
    public void Processing_frames_allocates_nothing()
    {
        var pcm = KeySequence(8000, "123", -15, 0, snrDb: 20);
        var detector = new InbandDtmfDetector(8000);
        var found = new char[2];
        detector.Process(pcm.AsSpan(0, 160), found);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int digits = 0;
        for (int offset = 160; offset + 160 <= pcm.Length; offset += 160) digits += detector.Process(pcm.AsSpan(offset, 160), found);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(3, digits);
    }

    [Fact]
    public void Frames_of_any_size_give_the_same_digits()
    {
        var pcm = KeySequence(8000, "90#", -15, 1, snrDb: 20);
        var detector = new InbandDtmfDetector(8000);
        var found = new char[8];
        var digits = "";
        var rng = new Random(3);
        for (int offset = 0; offset < pcm.Length;)
        {
            int length = Math.Min(rng.Next(1, 500), pcm.Length - offset);
            int n = detector.Process(pcm.AsSpan(offset, length), found);
            digits += new string(found, 0, n);
            offset += length;
        }
        Assert.Equal("90#", digits);
    }

    [Fact]
    public void Generator_writes_both_frequencies_at_the_requested_level()
    {
        var generator = new DtmfToneGenerator(8000);
        generator.Start('6', levelDbm0: -10, twistDb: 2);
        var pcm = new short[8000];
        for (int i = 0; i < pcm.Length; i += 160) generator.Write(pcm.AsSpan(i, 160));

        // Amplitude at a frequency by correlation over one second (exact bins at 1 Hz resolution).
        double Amplitude(int hz)
        {
            double re = 0, im = 0;
            for (int n = 0; n < pcm.Length; n++)
            {
                re += pcm[n] * Math.Cos(2 * Math.PI * hz * n / 8000);
                im += pcm[n] * Math.Sin(2 * Math.PI * hz * n / 8000);
            }
            return 2 * Math.Sqrt(re * re + im * im) / pcm.Length;
        }
        double expectedLow = 32767 * Math.Pow(10, (-10 - 3.14) / 20);
        Assert.Equal(expectedLow, Amplitude(770), expectedLow * 0.01);
        Assert.Equal(expectedLow * Math.Pow(10, 2 / 20.0), Amplitude(1477), expectedLow * 0.01);
        Assert.True(Amplitude(697) < expectedLow * 0.01);
        Assert.True(Amplitude(1336) < expectedLow * 0.01);

        generator.Stop();
        generator.Write(pcm.AsSpan(0, 160));
        Assert.All(pcm[..160], s => Assert.Equal(0, s));
    }

    [Theory]
    [InlineData("en-us", "Welcome to the citizen service hotline. Your call is important to us. " +
        "Please hold while we connect you to an operator. For water and electricity, press one. " +
        "Our office hours are nine in the morning to five in the afternoon, Monday to Friday. " +
        "The quick brown fox jumps over the lazy dog, and she sells sea shells by the sea shore.")]
    [InlineData("cmn-latn-pinyin", "ni3 hao3, huan1 ying2 zhi4 dian4 shi2 er4 san1 si4 wu3 shi4 min2 fu2 wu4 re4 xian4. " +
        "qing3 shao1 hou4, zuo4 xi2 yuan2 ma3 shang4 wei4 nin2 fu2 wu4. " +
        "ru2 xu1 zi1 xun2 shui3 dian4 wen4 ti2, qing3 an4 yi1. tou2 su4 jian4 yi4 qing3 an4 er4. " +
        "wo3 men5 de5 gong1 zuo4 shi2 jian1 shi4 zhou1 yi1 zhi4 zhou1 wu3, shang4 wu3 jiu3 dian3 dao4 xia4 wu3 wu3 dian3.")]
    public void Speech_gives_no_digits(string voice, string text)
    {
        string dir = ExternalTools.TempDirectory();
        try
        {
            string wav = Path.Combine(dir, "speech.wav"), raw = Path.Combine(dir, "speech.raw");
            foreach (int pitch in new[] { 35, 50, 80 })
            {
                ExternalTools.Run("espeak-ng", "-v", voice, "-p", pitch.ToString(), "-s", "150", "-w", wav, text);
                // Telephone band at 8 kHz, normalised loud (-3 dBFS peak) so levels are not what saves us.
                ExternalTools.Run("sox", wav, "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw", raw, "gain", "-n", "-3");
                var pcm = ExternalTools.ReadRawPcm(raw);
                Assert.True(pcm.Length > 8000 * 5, "several seconds of speech expected");
                Assert.Equal("", Detect(new InbandDtmfDetector(8000), pcm));
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Music_and_pink_noise_give_no_digits()
    {
        string dir = ExternalTools.TempDirectory();
        try
        {
            string raw = Path.Combine(dir, "music.raw");
            var pcm = new List<short>();
            string[][] pieces =
            [
                // Chords (major, minor, seventh) in piano-ish plucks across the DTMF range.
                ["synth", "1.2", "pluck", "C4", "pluck", "E4", "pluck", "G4", "pluck", "C5"],
                ["synth", "1.2", "pluck", "A3", "pluck", "C5", "pluck", "E5", "pluck", "A5"],
                ["synth", "1.2", "square", "F4", "square", "A4", "square", "C5", "square", "E5", "gain", "-12"],
                ["synth", "1.2", "triangle", "G4", "triangle", "B4", "triangle", "D5", "triangle", "F5"],
                ["synth", "1.2", "sawtooth", "D5", "sawtooth", "F#5", "sawtooth", "A5", "gain", "-10"],
                // A melody: one note after another, with a soft chord under it.
                ["synth", "0.3", "pluck", "E5", "synth", "0.3", "pluck", "D5"],
                ["synth", "2.4", "sine", "440-880", "sine", "660-1320", "gain", "-6"],
                ["synth", "2", "pinknoise", "gain", "-6"],
                ["synth", "1.5", "pinknoise", "pluck", "C5", "pluck", "E5", "pluck", "G5"],
            ];
            foreach (var piece in pieces)
            {
                ExternalTools.Run("sox", ["-n", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw", raw, .. piece, "gain", "-n", "-3"]);
                pcm.AddRange(ExternalTools.ReadRawPcm(raw));
            }
            // A melody note by note (Ode to Joy), each a short piano pluck with its chord.
            foreach (string note in "E4 E4 F4 G4 G4 F4 E4 D4 C4 C4 D4 E4 E4 D4 D4".Split(' '))
            {
                ExternalTools.Run("sox", "-n", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw", raw,
                    "synth", "0.35", "pluck", note, "pluck", "C3", "pluck", "G3", "gain", "-n", "-3");
                pcm.AddRange(ExternalTools.ReadRawPcm(raw));
            }
            Assert.True(pcm.Count > 8000 * 10, "several seconds of music expected");
            Assert.Equal("", Detect(new InbandDtmfDetector(8000), pcm.ToArray()));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
