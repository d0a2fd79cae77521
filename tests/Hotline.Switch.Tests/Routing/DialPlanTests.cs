using Hotline.Switch.Accounts;
using Hotline.Switch.Routing;
using Hotline.Switch.Trunks;

namespace Hotline.Switch.Tests.Routing;

public sealed class DialPlanTests : IDisposable
{
    private readonly DialPlanKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [Fact]
    public void Extension_to_extension_records_when_either_extension_records()
    {
        var d = _kit.FromPhone("1006", "1001");
        Assert.Equal(new RouteTarget(RouteTargetKind.Extension, "1001"), d.Target);
        Assert.False(d.Rejected);
        Assert.Empty(d.Attempts);
        Assert.True(d.Record); // the callee records

        Assert.True(_kit.FromPhone("1001", "1006").Record); // the caller records
        Assert.False(_kit.FromPhone("1006", "1002").Record); // neither does
    }

    [Fact]
    public void Phones_reach_a_service_number_by_dialling_its_DID()
    {
        // 4008123123 is an IVR hotline and 01066668888 a queue: dialled from a phone they go there, not out through a trunk.
        Assert.Equal(new RouteTarget(RouteTargetKind.Ivr, "main"), _kit.FromPhone("1002", "4008123123").Target);
        Assert.Equal(new RouteTarget(RouteTargetKind.Queue, "citizens"), _kit.FromPhone("1002", "01066668888").Target);
        // A DID that leads to an extension is not a service number: from a phone it is dialled like any number.
        Assert.False(_kit.FromPhone("1002", "12345").Target is { Kind: RouteTargetKind.Extension, Value: "1006" });
    }

    [Fact]
    public void Internal_class_extensions_reach_other_extensions()
    {
        var d = _kit.FromPhone("1002", "1004");
        Assert.Equal(RouteTargetKind.Extension, d.Target.Kind);
        Assert.False(d.Rejected);
    }

    [Fact]
    public void Disabled_extension_is_not_found()
    {
        var d = _kit.FromPhone("1001", "1005");
        Assert.Equal(404, d.RejectStatus);
        Assert.Contains("disabled", d.RejectReason);
    }

    [Theory]
    [InlineData("*97")]
    [InlineData("*72 1001")]
    public void Star_codes_are_features(string dialled)
    {
        var d = _kit.FromPhone("1002", dialled);
        Assert.Equal(RouteTargetKind.Feature, d.Target.Kind);
        Assert.Equal(NumberingPlan.Clean(dialled), d.Target.Value);
        Assert.False(d.Rejected);
    }

    [Fact]
    public void Prefix_route_strips_and_offers_trunks_in_order_with_their_formats()
    {
        var d = _kit.FromPhone("1006", "9 010 6234 5678");
        Assert.False(d.Rejected);
        Assert.Equal(new RouteTarget(RouteTargetKind.External, "+861062345678"), d.Target);
        // "old" is disabled and skipped; pstn wants national numbers, backup E.164.
        Assert.Equal(
            [new TrunkAttempt("pstn", "01062345678", "01066668888"), new TrunkAttempt("backup", "+861062345678", "+864008123123")],
            d.Attempts);
        Assert.False(d.Record); // neither the caller nor the route records; trunk flags come with the lease
    }

    [Fact]
    public void Local_number_gets_the_area_code_on_the_way_out()
    {
        var d = _kit.FromPhone("1003", "962345678");
        Assert.False(d.Rejected);
        Assert.Equal("01062345678", d.Attempts[0].Number);
        Assert.Equal("+861062345678", d.Attempts[1].Number);
    }

    [Fact]
    public void Prepend_rewrites_the_number()
    {
        var d = _kit.FromPhone("1003", "862345678");
        Assert.False(d.Rejected);
        Assert.Equal([new TrunkAttempt("pstn", "01062345678", "01066668888")], d.Attempts);
    }

    [Fact]
    public void Longer_prefix_wins_among_routes_of_the_same_order()
    {
        var intl = _kit.FromPhone("1004", "00442079460958");
        Assert.Equal([new TrunkAttempt("pstn", "00442079460958", "01066668888")], intl.Attempts);
        Assert.True(intl.Record); // the international route records

        var national = _kit.FromPhone("1004", "02150504433");
        Assert.Equal(["backup", "pstn"], national.Attempts.Select(a => a.Trunk));
    }

    [Fact]
    public void Internal_extension_cannot_dial_out()
    {
        var d = _kit.FromPhone("1002", "913800138000");
        Assert.True(d.Rejected);
        Assert.Equal(403, d.RejectStatus);
        Assert.Equal(RouteTargetKind.Reject, d.Target.Kind);
        Assert.Contains("class internal", d.RejectReason);
        Assert.Contains("national", d.RejectReason);
        Assert.Empty(d.Attempts);
        Assert.Equal(403, _kit.FromPhone("1002", "962345678").RejectStatus);
    }

    [Theory]
    [InlineData("1002", "9110")]
    [InlineData("1002", "9119")]
    [InlineData("1002", "120")]
    [InlineData("1003", "122")]
    public void Emergency_numbers_are_always_allowed(string caller, string dialled)
    {
        var d = _kit.FromPhone(caller, dialled);
        Assert.False(d.Rejected, d.RejectReason);
        Assert.Equal(RouteTargetKind.External, d.Target.Kind);
        Assert.Equal(NumberingPlan.Clean(dialled).TrimStart('9'), d.Attempts[0].Number);
    }

    [Fact]
    public void Unknown_caller_may_only_call_emergency_numbers()
    {
        var unknown = _kit.Plan.Route(new RoutingRequest("962345678", null, null, "anonymous", null, DateTimeOffset.UnixEpoch));
        Assert.Equal(403, unknown.RejectStatus);
        var emergency = _kit.Plan.Route(new RoutingRequest("9110", null, null, "anonymous", null, DateTimeOffset.UnixEpoch));
        Assert.False(emergency.Rejected);
    }

    [Fact]
    public void A_call_the_switch_places_goes_out_to_a_number_an_unknown_caller_may_not_call()
    {
        // Campaigns and click-to-dial: the number was configured by an administrator or agent, not dialled by a stranger.
        var placed = _kit.Plan.Route(new RoutingRequest("13800138000", null, null, "12345", null, DateTimeOffset.UnixEpoch, Originated: true));
        Assert.False(placed.Rejected, placed.RejectReason);
        Assert.Equal(RouteTargetKind.External, placed.Target.Kind);
        Assert.Equal("pstn", placed.Attempts[0].Trunk);
        Assert.Equal(403, _kit.Plan.Route(new RoutingRequest("13800138000", null, null, "12345", null, DateTimeOffset.UnixEpoch)).RejectStatus);
    }

    [Theory]
    [InlineData("1003", "962345678", false)]       // local → local
    [InlineData("1003", "902150504433", true)]     // local → Shanghai
    [InlineData("1003", "913800138000", true)]     // local → mobile (national by default)
    [InlineData("1003", "912345", false)]          // local → 12345 service
    [InlineData("1001", "902150504433", false)]    // national → Shanghai
    [InlineData("1001", "913800138000", false)]    // national → mobile
    [InlineData("1001", "900442079460958", true)]  // national → abroad
    [InlineData("1001", "00442079460958", true)]
    [InlineData("1004", "900442079460958", false)] // international → abroad
    public void Outbound_class_limits_how_far_an_extension_may_call(string caller, string dialled, bool refused)
    {
        var d = _kit.FromPhone(caller, dialled);
        Assert.Equal(refused, d.Rejected);
        if (refused) Assert.Equal(403, d.RejectStatus);
    }

    [Fact]
    public void Nothing_matching_is_not_found()
    {
        var d = _kit.FromPhone("1001", "7777");
        Assert.Equal(404, d.RejectStatus);
        Assert.Contains("no route", d.RejectReason);
    }

    [Fact]
    public void A_route_match_that_is_not_a_number_is_not_found()
    {
        var d = _kit.FromPhone("1004", "91009");
        Assert.Equal(404, d.RejectStatus);
        Assert.Contains("1009", d.RejectReason);
    }

    [Fact]
    public void Route_without_an_enabled_trunk_is_unavailable()
    {
        _kit.Routes.SaveOutbound(new OutboundRoute { Name = "dead", Order = -1, Prefix = "7", Strip = 1, Trunks = ["old"] });
        Assert.Equal(503, _kit.FromPhone("1001", "762345678").RejectStatus);
    }

    [Fact]
    public void Did_routes_to_an_extension_and_records_as_the_extension_trunk_or_route_want()
    {
        var d = _kit.FromTrunk("pstn", "12345");
        Assert.Equal(new RouteTarget(RouteTargetKind.Extension, "1006"), d.Target);
        Assert.False(d.Record); // 1006, pstn and the route all say no
        Assert.True(_kit.FromTrunk("backup", "12345").Record); // the backup trunk records

        var quiet = _kit.Extensions.Find("1006")!;
        _kit.Extensions.Save(new Extension { Number = quiet.Number, DisplayName = quiet.DisplayName, Record = true, OutboundClass = quiet.OutboundClass });
        Assert.True(_kit.FromTrunk("pstn", "12345").Record); // now the extension does
    }

    [Fact]
    public void Did_matches_however_the_carrier_writes_it_and_normalises_the_caller()
    {
        var d = _kit.FromTrunk("pstn", "+861066668888", callerNumber: "+8613800138000");
        Assert.Equal(new RouteTarget(RouteTargetKind.Queue, "citizens"), d.Target);
        Assert.Equal("13800138000", d.CallerNumber);
        Assert.Equal("citizens", _kit.FromTrunk("pstn", "66668888").Target.Value);
        Assert.Null(_kit.FromTrunk("pstn", "12345", callerNumber: "+8613800138000").CallerNumber); // that route keeps the caller as is
    }

    [Fact]
    public void Did_limited_to_one_trunk_is_not_found_from_another()
    {
        Assert.Equal(new RouteTarget(RouteTargetKind.Ivr, "main"), _kit.FromTrunk("backup", "4008123123").Target);
        Assert.True(_kit.FromTrunk("backup", "4008123123").Record);
        Assert.Equal(404, _kit.FromTrunk("pstn", "4008123123").RejectStatus);
    }

    [Fact]
    public void Unknown_did_is_not_found_until_a_catch_all_exists()
    {
        var d = _kit.FromTrunk("pstn", "01099998888");
        Assert.Equal(404, d.RejectStatus);
        Assert.Contains("DID", d.RejectReason);
        _kit.Routes.SaveInbound(new InboundRoute { Did = "*", Target = RouteTargetKind.Voicemail, Value = "1001" });
        Assert.Equal(new RouteTarget(RouteTargetKind.Voicemail, "1001"), _kit.FromTrunk("pstn", "01099998888").Target);
        Assert.Equal("1006", _kit.FromTrunk("pstn", "12345").Target.Value); // specific DIDs still win
    }

    [Fact]
    public void Trunk_calls_never_transit_to_another_trunk_by_dialling()
    {
        Assert.Equal(404, _kit.FromTrunk("pstn", "902150504433").RejectStatus);
        Assert.Equal(404, _kit.FromTrunk("pstn", "1001").RejectStatus); // nor reach an extension without a DID
    }

    [Fact]
    public void Did_forwarded_outside_uses_the_outbound_routes_and_may_pass_the_callers_number()
    {
        _kit.Routes.SaveInbound(new InboundRoute { Did = "01066667777", Target = RouteTargetKind.External, Value = "913700137000" });
        var d = _kit.FromTrunk("pstn", "01066667777", callerNumber: "02150504433");
        Assert.False(d.Rejected, d.RejectReason);
        Assert.Equal(new RouteTarget(RouteTargetKind.External, "+8613700137000"), d.Target);
        // pstn presents its own number; backup passes the caller's, in E.164.
        Assert.Equal(
            [new TrunkAttempt("pstn", "13700137000", "01066668888"), new TrunkAttempt("backup", "+8613700137000", "+862150504433")],
            d.Attempts);
    }

    [Fact]
    public void Did_can_refuse_with_a_status()
    {
        _kit.Routes.SaveInbound(new InboundRoute { Did = "01066660000", Target = RouteTargetKind.Reject, Value = "486" });
        Assert.Equal(486, _kit.FromTrunk("pstn", "01066660000").RejectStatus);
    }

    [Fact]
    public void Store_edits_apply_to_the_next_call()
    {
        Assert.Equal(404, _kit.FromPhone("1001", "701062345678").RejectStatus);
        _kit.Routes.SaveOutbound(new OutboundRoute { Name = "seven", Order = -1, Prefix = "7", Strip = 1, Trunks = ["backup"] });
        Assert.Equal("backup", Assert.Single(_kit.FromPhone("1001", "701062345678").Attempts).Trunk);

        _kit.Trunks.Save(_kit.Trunks.Find("backup")! with { DialFormat = NumberFormat.E164NoPlus });
        Assert.Equal("861062345678", _kit.FromPhone("1001", "701062345678").Attempts[0].Number);

        _kit.Routes.SaveOutbound(_kit.Routes.FindOutbound("seven")! with { Enabled = false });
        Assert.Equal(404, _kit.FromPhone("1001", "701062345678").RejectStatus);

        Assert.False(_kit.FromPhone("1003", "962345678").Rejected);
        var e = _kit.Extensions.Find("1003")!;
        _kit.Extensions.Save(new Extension { Number = e.Number, DisplayName = e.DisplayName, OutboundClass = "internal" });
        Assert.Equal(403, _kit.FromPhone("1003", "962345678").RejectStatus);

        Assert.True(_kit.Routes.DeleteInbound("12345"));
        Assert.Equal(404, _kit.FromTrunk("pstn", "12345").RejectStatus);
    }
}
