using Hotline.Media.Rtp;

namespace Hotline.Media.Tests.Rtp;

public class RtpPortAllocatorTests
{
    [Fact]
    public void Hands_out_even_ports_from_the_range_and_fails_clearly_when_exhausted()
    {
        var allocator = new RtpPortAllocator(10001, 10010);
        var ports = Enumerable.Range(0, allocator.Capacity).Select(_ => allocator.Allocate()).ToList();
        Assert.Equal([10002, 10004, 10006, 10008], ports);
        var error = Assert.Throws<InvalidOperationException>(() => allocator.Allocate());
        Assert.Contains("10002-10010", error.Message);
        Assert.False(allocator.TryAllocate(out _));
    }

    [Fact]
    public void Released_ports_return_to_the_pool_but_are_reused_last()
    {
        var allocator = new RtpPortAllocator(20000, 20007);
        int a = allocator.Allocate();
        int b = allocator.Allocate();
        allocator.Release(a);
        Assert.Equal(20004, allocator.Allocate());
        Assert.Equal(20006, allocator.Allocate());
        Assert.Equal(a, allocator.Allocate());
        Assert.Throws<InvalidOperationException>(() => allocator.Allocate());
        allocator.Release(b);
        Assert.Equal(b, allocator.Allocate());
    }

    [Fact]
    public void Skips_pairs_the_host_reports_busy()
    {
        var allocator = new RtpPortAllocator(30000, 30009, port => port != 30000 && port != 30004);
        Assert.Equal(30002, allocator.Allocate());
        Assert.Equal(30006, allocator.Allocate());
        Assert.Equal(30008, allocator.Allocate());
        Assert.False(allocator.TryAllocate(out _));
    }

    [Fact]
    public void Misuse_is_refused()
    {
        var allocator = new RtpPortAllocator(40000, 40009);
        Assert.Throws<ArgumentOutOfRangeException>(() => allocator.Release(40001));
        Assert.Throws<ArgumentOutOfRangeException>(() => allocator.Release(50000));
        Assert.Throws<InvalidOperationException>(() => allocator.Release(40000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RtpPortAllocator(40000, 40000));
    }

    [Fact]
    public void Concurrent_callers_never_hold_the_same_port_at_once()
    {
        var allocator = new RtpPortAllocator(10000, 10039); // 20 pairs for 8 threads holding up to 3 each
        var holders = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        int conflicts = 0;
        Parallel.For(0, 8, thread =>
        {
            var mine = new Queue<int>();
            for (int i = 0; i < 5000; i++)
            {
                if (mine.Count < 3 && allocator.TryAllocate(out int port))
                {
                    if (!holders.TryAdd(port, thread)) Interlocked.Increment(ref conflicts);
                    mine.Enqueue(port);
                }
                else if (mine.Count > 0)
                {
                    int release = mine.Dequeue();
                    holders.TryRemove(release, out _);
                    allocator.Release(release);
                }
            }
            while (mine.Count > 0)
            {
                int release = mine.Dequeue();
                holders.TryRemove(release, out _);
                allocator.Release(release);
            }
        });
        Assert.Equal(0, conflicts);
        Assert.Equal(0, allocator.InUse);
    }
}
