using System.Net;

namespace Hotline.Media.Engine;

/// <summary>How media workers learn that packets have arrived on their sockets.</summary>
public enum PacketReceiveMode
{
    /// <summary><see cref="Epoll"/> where the platform has it (Linux), else <see cref="AsyncReceive"/>.</summary>
    Auto,

    /// <summary>
    /// Each worker waits in its own epoll set holding all its sockets and reads the ready ones itself, on
    /// its own thread: one system call per packet plus one wait per batch, no thread hop. Linux only.
    /// </summary>
    Epoll,

    /// <summary>
    /// One asynchronous receive loop per socket (the runtime's socket engine); completions are queued to
    /// the owning worker, which is woken to process them. Portable, and dearer per packet (measured in
    /// benchmarks/media-load/README.md).
    /// </summary>
    AsyncReceive,
}

/// <summary>Settings of the <see cref="MediaEngine"/>.</summary>
public sealed record MediaEngineOptions
{
    /// <summary>Address the RTP/RTCP sockets bind to.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>
    /// Address written into our SDP (c= and o=). Null: the bind address when it is a specific one, else the
    /// first non-loopback IPv4 address of an interface that is up, else loopback.
    /// </summary>
    public IPAddress? AdvertisedAddress { get; init; }

    /// <summary>Lowest RTP port (even; RTCP is the odd port above, RFC 3550 §11).</summary>
    public int RtpPortMin { get; init; } = 20000;

    /// <summary>Highest RTP port; its RTCP port is one above.</summary>
    public int RtpPortMax { get; init; } = 39998;

    /// <summary>Media workers, each a thread driven by one 20 ms clock; default one per core.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Codecs by rtpmap name, most preferred first (PCMA, PCMU, G722, opus, L16).</summary>
    public IReadOnlyList<string> Codecs { get; init; } = ["PCMA", "PCMU", "G722", "opus"];

    /// <summary>
    /// Packet time we ask peers to send (a=ptime, a receiver's preference, RFC 4566 §6). What the engine itself
    /// generates goes out in 20 ms packets, its clock; relayed packets keep the sender's packet time.
    /// </summary>
    public int Ptime { get; init; } = 20;

    /// <summary>Shallowest the jitter buffers on the paths that decode (transcoding, mixing, recording) play out.</summary>
    public TimeSpan JitterBufferMin { get; init; } = TimeSpan.FromMilliseconds(40);

    /// <summary>Deepest those jitter buffers grow before dropping old frames.</summary>
    public TimeSpan JitterBufferMax { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How long a latched peer must be silent before packets from another source take over (symmetric RTP).</summary>
    public TimeSpan RelatchAfterSilence { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Folder of the default music-on-hold class (WAV files); null or missing: a soft fallback tone.</summary>
    public string? MusicOnHoldFolder { get; init; }

    /// <summary>Relative recording paths are resolved against this folder; null: the working directory.</summary>
    public string? RecordingsRoot { get; init; }

    /// <summary>How workers read their sockets.</summary>
    public PacketReceiveMode ReceiveMode { get; init; } = PacketReceiveMode.Auto;

    /// <summary>Minimum RTCP report interval (RFC 3550 §6.2: 5 s; the first report goes out after half of it on average).</summary>
    public TimeSpan RtcpMinInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Socket receive buffer per RTP socket, bytes (absorbs bursts while a worker is busy).</summary>
    public int SocketReceiveBufferBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// Linux nice value of the media worker threads (-20 to 19; 0 leaves them as the process is). Below 0 they
    /// win the cores from signalling, storage and other processes when the machine is busy, so ticks keep
    /// their 20 ms cadence; that needs root or CAP_SYS_NICE, and without it the engine logs a warning and runs on.
    /// </summary>
    public int WorkerNice { get; init; }

    /// <summary>
    /// How far behind its clock a worker may fall (descheduled, or briefly overloaded) and still run every
    /// missed tick when it gets the core back. Packets wait meanwhile in the sockets' receive buffers
    /// (<see cref="SocketReceiveBufferBytes"/>), so catching up loses nothing: recordings and transcoded
    /// streams stay whole, at the cost of that much delay until the backlog is worked off. A worker further
    /// behind skips to the present (counted as skipped ticks) rather than run late for ever.
    /// </summary>
    public TimeSpan MaxTickCatchUp { get; init; } = TimeSpan.FromMilliseconds(500);

    internal void Validate()
    {
        if (Workers < 1) throw new ArgumentException("Workers must be at least 1", nameof(Workers));
        if (WorkerNice is < -20 or > 19) throw new ArgumentException("WorkerNice must be -20..19", nameof(WorkerNice));
        if (Ptime is < 10 or > 120 || Ptime % 10 != 0) throw new ArgumentException("Ptime must be 10..120 ms in steps of 10", nameof(Ptime));
        if (Codecs.Count == 0) throw new ArgumentException("at least one codec is needed", nameof(Codecs));
        if (JitterBufferMin < TimeSpan.FromMilliseconds(20) || JitterBufferMax < JitterBufferMin)
            throw new ArgumentException("need 20 ms <= JitterBufferMin <= JitterBufferMax", nameof(JitterBufferMin));
        if (RelatchAfterSilence < TimeSpan.Zero) throw new ArgumentException("RelatchAfterSilence must not be negative", nameof(RelatchAfterSilence));
        if (MaxTickCatchUp < TimeSpan.Zero || MaxTickCatchUp > TimeSpan.FromSeconds(2))
            throw new ArgumentException("MaxTickCatchUp must be 0..2 s", nameof(MaxTickCatchUp));
        if (RtcpMinInterval <= TimeSpan.Zero) throw new ArgumentException("RtcpMinInterval must be positive", nameof(RtcpMinInterval));
    }
}
