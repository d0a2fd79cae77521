using System.Text.Json;
using System.Text.Json.Serialization;
using Hotline.Ivr.ContactCentre;
using Hotline.Ivr.ContactCentre.Engine;

namespace Hotline.Ivr.Tests.ContactCentre.Runtime;

public sealed class DemoConfigurationTests
{
    private static ContactCentreOptions Demo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "samples", "demo", "appsettings.json"))) dir = dir.Parent;
        Assert.NotNull(dir);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.FullName, "samples", "demo", "appsettings.json")));
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true, Converters = { new JsonStringEnumConverter() } };
        return doc.RootElement.GetProperty("ContactCentre").Deserialize<ContactCentreOptions>(options)!;
    }

    [Fact]
    public async Task The_demo_has_queue_8000_served_by_agents_logging_in_on_1003_to_1006_and_room_8100_without_a_PIN()
    {
        var demo = Demo();
        Assert.Empty(demo.Problems());
        await using var kit = new ContactCentreKit(o =>
        {
            o.Queues = demo.Queues;
            o.Agents = demo.Agents;
            o.Rooms = demo.Rooms;
            o.FeatureCodes = demo.FeatureCodes;
        });
        foreach (var (agent, pin, phone) in new[] { ("5003", "3333", "1003"), ("5004", "4444", "1004"), ("5005", "5555", "1005"), ("5006", "6666", "1006") })
            Assert.Equal(LoginResult.LoggedIn, await kit.Host.Agents.LoginAsync(agent, pin, phone));
        var queue = (await kit.Queue("8000"))!;
        Assert.Equal(4, queue.AgentsByState[AgentState.Available]);
        Assert.Equal(QueueStrategy.LongestIdle, queue.Strategy);
        Assert.Equal("", kit.Host.Directory.Room("8100")!.Pin);
        Assert.True(kit.Host.Supervisors is null || kit.Host.Supervisors.IsSupervisor("5001"));
        Assert.True(kit.Repository.FindAgent("5001")!.Supervisor);
    }
}
