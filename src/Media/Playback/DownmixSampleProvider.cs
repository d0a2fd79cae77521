using NAudio.Wave;

namespace Hotline.Media.Playback;

/// <summary>Averages any number of interleaved channels into one (NAudio's own only handles stereo).</summary>
internal sealed class DownmixSampleProvider : ISampleProvider
{
    private readonly ISampleProvider _source;
    private readonly int _channels;
    private float[] _buffer = [];

    public DownmixSampleProvider(ISampleProvider source)
    {
        _source = source;
        _channels = source.WaveFormat.Channels;
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(source.WaveFormat.SampleRate, 1);
    }

    public WaveFormat WaveFormat { get; }

    public int Read(Span<float> buffer)
    {
        int wanted = buffer.Length * _channels;
        if (_buffer.Length < wanted)
            _buffer = new float[wanted];
        int read = _source.Read(_buffer.AsSpan(0, wanted));
        int frames = read / _channels;
        float scale = 1f / _channels;
        for (int f = 0; f < frames; f++)
        {
            float sum = 0;
            for (int c = 0; c < _channels; c++)
                sum += _buffer[f * _channels + c];
            buffer[f] = sum * scale;
        }
        return frames;
    }
}
