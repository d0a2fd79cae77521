using Hotline.Media.Codecs;
using Hotline.Media.Engine;
using Hotline.Media.Playback;
using Hotline.Media.Recording;
using NAudio.Wave;

namespace Hotline.Media.Tests.Engine;

/// <summary>
/// In steady state a room's tick allocates nothing: packets in, jitter buffers, resampling to and from the
/// room's rate, mixing with every role, a tone and a prompt playing, the mixed recording and a moved call's
/// stereo recording, encoding for each member.
/// </summary>
public sealed class RoomsAllocationTests
{
    private const int Warmup = 300;
    private const int Measured = 1000;
    // Two recordings write 20 frames in a batch of 10 ticks: fewer than the writer queue's first segment
    // holds (32), so a writer thread descheduled for a whole batch cannot make the queue grow a segment.
    private const int Batch = 10;

    [Fact]
    public async Task A_room_tick_with_every_feature_in_use_allocates_nothing()
    {
        var folder = Path.Combine(Path.GetTempPath(), "hotline-rooms-alloc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await using var writer = new RecordingWriter();
        try
        {
            // RTCP builds its reports as objects every few seconds by design; keep it out of the measurement.
            var rig = new RoomRig(16000, new MediaEngineOptions { RtcpMinInterval = TimeSpan.FromHours(1) });
            var g722 = AudioCodecs.All.First(c => c.Name == "G722");
            var agent = rig.Join("agent", 300);
            for (int i = 0; i < 6; i++)
                rig.Join($"talker{i}", 500 + 150 * i, i % 2 == 0 ? AudioCodecs.Pcma : AudioCodecs.Pcmu);
            rig.Join("listener", 1600, AudioCodecs.Pcma, ConferenceRole.Listener);
            rig.Join("whisperer", 1800, g722, ConferenceRole.Whisperer, agent);
            rig.Join("muted", 2100).Member!.Participant.Muted = true;

            // A call moved in from its bridge, still recorded in stereo.
            var caller = rig.Leg("caller", 2400);
            var callee = rig.Leg("callee", 2700, g722);
            var callRecording = writer.Start(Path.Combine(folder, "call.wav"), 16000, WavChannelLayout.Stereo);
            var bridge = new BridgeCore(caller.Leg, callee.Leg, callRecording);
            bridge.Start(rig.Worker.Now);
            rig.Room.AdoptCall(bridge, null, null);

            var roomRecording = writer.Start(Path.Combine(folder, "room.wav"), 16000, WavChannelLayout.Mono);
            Assert.True(rig.Room.StartRecording(roomRecording));
            rig.Room.PlayTone(new ToneGenerator(ToneSpec.Parse("450/1000,0/1000"), 16000));
            rig.Room.PlayPrompt(new ConferencePrompt(new PromptCache().Get(WritePrompt(folder), 16000)));

            // A batch's frames (16 kHz: the room's mono 640 B, the call's stereo 1,280 B) even if the writer sleeps through it.
            WriterStock.Reserve(writer, Batch, 640, 1280);
            foreach (var party in rig.Parties)
                party.Sink.KeepPackets = false;
            var packets = rig.Parties.Select(p => Enumerable.Range(0, Warmup + Measured).Select(_ => p.NextPacket()).ToArray()).ToArray();

            long allocated = 0;
            long missesBefore = writer.Pool.Misses;
            WorkerThread.Run(() =>
            {
                for (int batch = 0; batch < (Warmup + Measured) / Batch; batch++)
                {
                    // The writer hands frame buffers back from its own thread; let it catch up between batches so
                    // the pool, not the heap, serves the next ones (that wait is not the media path).
                    writer.DrainAsync().Wait();
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int t = batch * Batch; t < (batch + 1) * Batch; t++)
                    {
                        for (int p = 0; p < packets.Length; p++)
                            rig.Parties[p].Deliver(packets[p][t], rig.Worker.Now);
                        rig.Worker.RunTick();
                    }
                    if (batch >= Warmup / Batch)
                        allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                }
            });

            Assert.True(allocated == 0, $"{allocated} B allocated on the worker thread; the frame pool missed {writer.Pool.Misses - missesBefore} times in the run, warm-up included");
            Assert.Equal(12, rig.Room.Count);
            Assert.All(rig.Parties, p => Assert.True(p.Sink.RtpCount >= Measured, $"{p} was sent {p.Sink.RtpCount} packets"));
            Assert.Equal(Warmup + Measured, bridge.RecordedFrames);
            Assert.Equal(0, writer.DroppedFrames);
            await roomRecording.StopAsync();
            await callRecording.StopAsync();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string WritePrompt(string folder)
    {
        var path = Path.Combine(folder, "prompt.wav");
        using var wav = new WaveFileWriter(path, new WaveFormat(16000, 16, 1));
        var pcm = Audio.Tone(1200, 16000, 16000 * 30, 6000);
        var bytes = new byte[pcm.Length * 2];
        Buffer.BlockCopy(pcm, 0, bytes, 0, bytes.Length);
        wav.Write(bytes, 0, bytes.Length);
        return path;
    }
}
