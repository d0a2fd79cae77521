using BenchmarkDotNet.Attributes;
using Hotline.Media.Mixing;

namespace Hotline.Benchmarks.Mixing;

/// <summary>
/// One 20 ms tick of an N-party conference: every participant's input set, then the mix.
/// Divide the mean by <see cref="Participants"/> for the cost per participant per frame.
/// Vectorised and scalar kernels run side by side in the same job.
/// </summary>
[MemoryDiagnoser]
public class AudioMixerBenchmarks
{
    private AudioMixer _mixer = null!;
    private MixerParticipant[] _participants = [];
    private short[][] _inputs = [];

    [Params(3, 10, 50)]
    public int Participants { get; set; }

    [Params(8000, 16000)]
    public int SampleRate { get; set; }

    [ParamsAllValues]
    public bool Vectorised { get; set; }

    /// <summary>Adds a whisperer and a silent listener (supervisor features) to the conference.</summary>
    [Params(false, true)]
    public bool Restricted { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int frame = SampleRate / 50;
        _mixer = new AudioMixer(SampleRate, frame, 20, null, Vectorised);
        _participants = Enumerable.Range(0, Participants).Select(_ => _mixer.Add()).ToArray();
        var rng = new Random(42);
        _inputs = _participants.Select(_ => Enumerable.Range(0, frame).Select(_ => (short)rng.Next(-8000, 8000)).ToArray()).ToArray();
        if (Restricted)
        {
            _participants[^1].SetListener();
            _participants[^2].SetHeardOnlyBy(_participants[0]);
        }
    }

    [Benchmark]
    public void Tick()
    {
        var ps = _participants;
        for (int i = 0; i < ps.Length; i++)
            ps[i].SetInput(_inputs[i]);
        _mixer.Mix();
    }
}
