using Hotline.Ivr.ContactCentre;
using Hotline.Ivr.ContactCentre.Engine;
using Hotline.Switch.Routing;
using Hotline.Switch.Store;

namespace Hotline.Ivr.Tests.ContactCentre.Runtime;

public sealed class DirectoryEventsAndStoreTests
{
    [Fact]
    public async Task The_configuration_seeds_the_store_hashing_PINs_and_leaves_entries_edited_through_the_API_alone()
    {
        var repository = new InMemoryContactCentreRepository();
        await using (var kit = new ContactCentreKit(repository: repository))
        {
            var stored = repository.FindAgent("5003")!;
            Assert.DoesNotContain("1003", stored.PinHash);
            Assert.True(AgentPin.Verify("1003", stored.PinHash));
            var queue = kit.Host.Directory.Queue("8000")!;
            queue.RingTimeoutSeconds = 25;
            kit.Host.Directory.SaveQueue(queue);
            await kit.Host.FlushAsync();
            Assert.Equal("admin", repository.FindQueue("8000")!.Source);
        }
        await using var again = new ContactCentreKit(o => o.Agents[2].Pin = "4321", repository: repository);
        Assert.Equal(25, repository.FindQueue("8000")!.RingTimeoutSeconds); // the panel's edit survives a restart
        Assert.True(AgentPin.Verify("4321", repository.FindAgent("5003")!.PinHash)); // the file's own entry follows the file
    }

    [Fact]
    public void Bad_configuration_is_refused_naming_every_field()
    {
        var options = new ContactCentreOptions
        {
            Queues = [new QueueDefinition { Number = "80a0", RingTimeoutSeconds = 2, Overflow = "Nowhere:1" }],
            Agents = [new AgentConfig { Number = "5001", Pin = "12" }],
            Rooms = [new ConferenceRoomDefinition { Number = "8100", Pin = "12", ModeratorPin = "12" }],
            FeatureCodes = new FeatureCodes { Pause = "*8" },
        };
        var problems = options.Problems().ToList();
        Assert.Contains("ContactCentre:Queues:0:Number '80a0' must be digits", problems);
        Assert.Contains("ContactCentre:Queues:0:RingTimeoutSeconds must be between 5 and 120", problems);
        Assert.Contains(problems, p => p.StartsWith("ContactCentre:Queues:0:Overflow 'Nowhere:1'", StringComparison.Ordinal));
        Assert.Contains("ContactCentre:Agents:0:Pin for agent 5001 must be 4 to 12 digits", problems);
        Assert.Contains("ContactCentre:Rooms:0:ModeratorPin must differ from Pin", problems);
        Assert.Contains("ContactCentre:FeatureCodes: code '*8' is a prefix of '*81'", problems);
    }

    [Fact]
    public async Task Edits_through_the_directory_reach_the_engine_and_bad_ones_are_refused()
    {
        await using var kit = new ContactCentreKit();
        var error = Assert.Throws<ContactCentreConfigException>(() => kit.Host.Directory.SaveQueue(new QueueDefinition { Number = "8100" }));
        Assert.Contains("room 8100", error.Message.Replace("queue 8100:Number is already a conference room", "room 8100"));
        kit.Host.Directory.SaveAgent(new AgentDefinition { Number = "5010", Name = "New", Skills = new() { ["tax"] = 4 } }, "2468");
        kit.Host.Directory.SaveQueue(new QueueDefinition { Number = "8002", Members = [new() { Agent = "5010" }] });
        Assert.Equal(LoginResult.LoggedIn, await kit.Host.Agents.LoginAsync("5010", "2468", "1002"));
        var agent = (await kit.Agent("5010"))!;
        Assert.Equal(["8002"], agent.Queues);
        Assert.Equal(4, agent.Skills["tax"]);
        Assert.True(kit.Host.Directory.DeleteQueue("8002"));
        await kit.Host.FlushAsync();
        Assert.False(await kit.Host.Engine.QueryAsync(c => c.HasQueue("8002")));
        Assert.Equal(new RouteTarget(RouteTargetKind.Queue, "8000"), kit.Host.Directory.Resolve("8000"));
        Assert.Equal(new RouteTarget(RouteTargetKind.Conference, "8100"), kit.Host.Directory.Resolve("8100"));
        Assert.Null(kit.Host.Directory.Resolve("1001"));
    }

    [Fact]
    public async Task Queue_and_room_numbers_get_inbound_routes_so_they_can_be_dialled_and_routes_an_administrator_made_are_kept()
    {
        using var store = new HotlineStore(new MemoryStream(), "/tmp/hl-acd-routes");
        var routes = new LiteDbRouteRepository(store);
        routes.SaveInbound(new InboundRoute { Did = "8100", Target = RouteTargetKind.Ivr, Value = "night", Source = "admin" });
        await using var kit = new ContactCentreKit(routes: routes);
        Assert.Equal((RouteTargetKind.Queue, "8000", ContactCentreDirectory.RouteSource),
            (routes.FindInbound("8000")!.Target, routes.FindInbound("8000")!.Value, routes.FindInbound("8000")!.Source));
        Assert.Equal(RouteTargetKind.Ivr, routes.FindInbound("8100")!.Target);
        kit.Host.Directory.SaveQueue(new QueueDefinition { Number = "8003" });
        Assert.Equal(RouteTargetKind.Queue, routes.FindInbound("8003")!.Target);
        Assert.True(kit.Host.Directory.DeleteQueue("8003"));
        Assert.Null(routes.FindInbound("8003"));
        Assert.True(kit.Host.Directory.DeleteRoom("8100"));
        Assert.NotNull(routes.FindInbound("8100")); // not ours to remove
    }

    [Fact]
    public async Task Live_events_arrive_in_order_with_sequence_numbers_and_format_as_server_sent_events()
    {
        await using var kit = new ContactCentreKit();
        using var subscription = kit.Host.Events.Subscribe();
        kit.Switch.Phones["1001"] = PhoneBehaviour.Answer;
        await kit.LoginAsync("5001");
        var call = kit.Call("13800001111");
        await kit.AgentIs("5001", AgentState.OnCall);
        call.HangUpFarEnd();
        await kit.AgentIs("5001", AgentState.Available);
        var events = new List<ContactCentreEvent>();
        while (subscription.Reader.TryRead(out var e)) events.Add(e);
        Assert.Equal(["agent.state", "call.queued", "agent.state", "call.offered", "agent.state", "call.left", "call.ended", "agent.state"], events.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        var sse = events[1].ToServerSentEvent();
        Assert.StartsWith("id: 2\nevent: call.queued\ndata: {", sse);
        Assert.Contains("\"caller\":\"13800001111\"", sse);
        Assert.EndsWith("}\n\n", sse);
        Assert.Contains("\"state\":\"OnCall\"", events[4].DataJson());
    }

    [Fact]
    public async Task A_slow_subscriber_loses_its_oldest_events_instead_of_holding_up_the_engine()
    {
        await using var kit = new ContactCentreKit();
        using var slow = kit.Host.Events.Subscribe(capacity: 2);
        for (int i = 0; i < 5; i++) kit.Host.Events.Publish("test", new { i });
        var kept = new List<long>();
        while (slow.Reader.TryRead(out var e)) kept.Add(e.Sequence);
        Assert.Equal([4L, 5L], kept);
    }

    [Fact]
    public async Task The_engine_log_of_a_live_run_replays_to_the_same_decisions_and_survives_JSON()
    {
        await using var kit = new ContactCentreKit(o => o.Queues[0].Strategy = QueueStrategy.Random);
        kit.Switch.Phones["1001"] = PhoneBehaviour.Answer;
        kit.Switch.Phones["1002"] = PhoneBehaviour.NoAnswer;
        kit.Switch.Phones["1003"] = PhoneBehaviour.Answer;
        await kit.LoginAsync("5001", "5002", "5003");
        var calls = new List<FakeCallChannel>();
        for (int i = 0; i < 6; i++)
        {
            calls.Add(kit.Call($"1380000000{i}"));
            await kit.AdvanceAsync(TimeSpan.FromSeconds(4));
        }
        await kit.AdvanceAsync(TimeSpan.FromSeconds(20));
        foreach (var c in calls) c.HangUpFarEnd();
        await kit.AdvanceAsync(TimeSpan.FromSeconds(2));
        // Taken together on the engine's thread, so no input slips in between the log and the decisions.
        var (logged, live) = await kit.Host.Engine.QueryAsync(_ => (kit.Host.Engine.Log.Events(), kit.Seen<OfferCall>().Select(o => o.ToString()).ToList()));
        Assert.True(live.Count >= 4);

        var writer = new StringWriter();
        foreach (var e in logged) writer.WriteLine(AcdEventLog.ToJson(e));
        var events = AcdEventLog.ReadJsonLines(new StringReader(writer.ToString()));
        Assert.Equal(logged.Select(e => e.ToString()), events.Select(e => e.ToString()));
        var replayed = AcdEventLog.Replay(kit.Host.Engine.Seed, events).OfType<OfferCall>().Select(o => o.ToString()).ToList();
        Assert.Equal(live, replayed);
    }

    [Fact]
    public void The_LiteDB_repository_keeps_every_record_by_its_natural_key()
    {
        using var store = new HotlineStore(new MemoryStream(), "/tmp/hl-acd-store");
        var repository = new LiteDbContactCentreRepository(store);
        repository.SaveQueue(new QueueDefinition { Number = "8000", Strategy = QueueStrategy.SkillsBased, Members = [new() { Agent = "5001", Weight = 3 }], Overflow = "Voicemail:8000" });
        repository.SaveAgent(new AgentDefinition { Number = "5001", PinHash = AgentPin.Hash("1234"), Skills = new() { ["tax"] = 7 }, Supervisor = true });
        repository.SaveRoom(new ConferenceRoomDefinition { Number = "8100", Pin = "1111" });
        var when = new DateTimeOffset(2031, 7, 1, 9, 30, 0, TimeSpan.FromHours(8));
        repository.SaveAbandoned(new AbandonedCall { Id = "a", Caller = "138", Abandoned = when });
        repository.SaveAbandoned(new AbandonedCall { Id = "b", Caller = "139", Abandoned = when.AddMinutes(1), Handled = when.AddMinutes(2) });
        repository.SaveSession(new AgentSession { Agent = "5001", Phone = "1003", Since = when });

        var q = repository.FindQueue("8000")!;
        Assert.Equal((QueueStrategy.SkillsBased, 3, "Voicemail:8000"), (q.Strategy, q.Members[0].Weight, q.Overflow));
        var a = repository.FindAgent("5001")!;
        Assert.True(AgentPin.Verify("1234", a.PinHash));
        Assert.Equal((7, true), (a.Skills["tax"], a.Supervisor));
        Assert.Equal("1111", repository.FindRoom("8100")!.Pin);
        Assert.Equal(["a"], repository.Abandoned(includeHandled: false).Select(x => x.Id));
        Assert.Equal(["b", "a"], repository.Abandoned(includeHandled: true).Select(x => x.Id));
        Assert.Equal(when, repository.Abandoned(false)[0].Abandoned);
        Assert.Equal("1003", repository.Sessions().Single().Phone);
        Assert.True(repository.DeleteQueue("8000"));
        Assert.Null(repository.FindQueue("8000"));
        repository.DeleteSession("5001");
        Assert.Empty(repository.Sessions());
    }

    [Fact]
    public void PINs_verify_only_against_their_own_hash_and_malformed_hashes_are_rejected()
    {
        var hash = AgentPin.Hash("123456");
        Assert.True(AgentPin.Verify("123456", hash));
        Assert.False(AgentPin.Verify("123457", hash));
        Assert.NotEqual(hash, AgentPin.Hash("123456")); // salted
        Assert.False(AgentPin.Verify("123456", "plain"));
        Assert.False(AgentPin.Verify("123456", "pbkdf2-sha256$10$!!$!!"));
    }
}
