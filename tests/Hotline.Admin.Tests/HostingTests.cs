using System.Net;
using System.Net.Sockets;

namespace Hotline.Admin.Tests;

public sealed class HostingTests
{
    [Fact]
    public void A_taken_panel_port_moves_to_a_free_one_and_free_ports_stay()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var free = new TcpListener(IPAddress.Loopback, 0);
        free.Start();
        var freePort = ((IPEndPoint)free.LocalEndpoint).Port;
        free.Stop();
        var urls = AdminHosting.AvailableUrls($"http://127.0.0.1:{port}; http://127.0.0.1:{freePort}");
        Assert.Equal(["http://127.0.0.1:0", $"http://127.0.0.1:{freePort}"], urls);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:21", "Admin:Urls")]
    [InlineData("", "Admin:Urls")]
    public void Bad_urls_are_refused_naming_the_key(string urls, string key)
    {
        var e = Assert.Throws<InvalidOperationException>(() => new AdminOptions { Urls = urls }.Validate());
        Assert.StartsWith(key, e.Message);
    }

    [Fact]
    public void A_weak_initial_password_is_refused_naming_the_key()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new AdminOptions { InitialPassword = "short" }.Validate());
        Assert.StartsWith("Admin:InitialPassword", e.Message);
    }
}
