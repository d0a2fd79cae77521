using Hotline.Switch.Routing;

namespace Hotline.Switch.Tests.Routing;

public class NumberingPlanTests
{
    // Beijing is the local area in these tests.
    private static readonly NumberingPlan China = new(new NumberingOptions { LocalAreaCode = "10" });

    [Theory]
    // Mobiles, however they are written.
    [InlineData("13800138000", NumberKind.Mobile, NumberClass.National, "13800138000", "+8613800138000")]
    [InlineData("+8613800138000", NumberKind.Mobile, NumberClass.National, "13800138000", "+8613800138000")]
    [InlineData("008613800138000", NumberKind.Mobile, NumberClass.National, "13800138000", "+8613800138000")]
    [InlineData("+86 138-0013-8000", NumberKind.Mobile, NumberClass.National, "13800138000", "+8613800138000")]
    [InlineData("19912345678", NumberKind.Mobile, NumberClass.National, "19912345678", "+8619912345678")]
    [InlineData("013800138000", NumberKind.Mobile, NumberClass.National, "13800138000", "+8613800138000")]
    // Beijing (local): with the trunk prefix and area code, without them, and as E.164.
    [InlineData("01062345678", NumberKind.Fixed, NumberClass.Local, "01062345678", "+861062345678")]
    [InlineData("62345678", NumberKind.Fixed, NumberClass.Local, "01062345678", "+861062345678")]
    [InlineData("010-6234 5678", NumberKind.Fixed, NumberClass.Local, "01062345678", "+861062345678")]
    [InlineData("+861062345678", NumberKind.Fixed, NumberClass.Local, "01062345678", "+861062345678")]
    // Shanghai and Guangzhou (national from Beijing).
    [InlineData("02150504433", NumberKind.Fixed, NumberClass.National, "02150504433", "+862150504433")]
    [InlineData("+862150504433", NumberKind.Fixed, NumberClass.National, "02150504433", "+862150504433")]
    [InlineData("00862150504433", NumberKind.Fixed, NumberClass.National, "02150504433", "+862150504433")]
    [InlineData("+86 (0)21 5050 4433", NumberKind.Fixed, NumberClass.National, "02150504433", "+862150504433")]
    [InlineData("02083338888", NumberKind.Fixed, NumberClass.National, "02083338888", "+862083338888")]
    [InlineData("020-8333-8888", NumberKind.Fixed, NumberClass.National, "02083338888", "+862083338888")]
    // Three-digit area codes: Shenzhen (8-digit numbers), Urumqi (7-digit).
    [InlineData("075583765566", NumberKind.Fixed, NumberClass.National, "075583765566", "+8675583765566")]
    [InlineData("09912345678", NumberKind.Fixed, NumberClass.National, "09912345678", "+869912345678")]
    // Emergency and service codes.
    [InlineData("110", NumberKind.Emergency, NumberClass.Emergency, "110", null)]
    [InlineData("119", NumberKind.Emergency, NumberClass.Emergency, "119", null)]
    [InlineData("120", NumberKind.Emergency, NumberClass.Emergency, "120", null)]
    [InlineData("122", NumberKind.Emergency, NumberClass.Emergency, "122", null)]
    [InlineData("021110", NumberKind.Emergency, NumberClass.Emergency, "021110", null)]
    [InlineData("12345", NumberKind.Service, NumberClass.Local, "12345", null)]
    [InlineData("12315", NumberKind.Service, NumberClass.Local, "12315", null)]
    [InlineData("10086", NumberKind.Service, NumberClass.Local, "10086", null)]
    [InlineData("114", NumberKind.Service, NumberClass.Local, "114", null)]
    [InlineData("95588", NumberKind.Service, NumberClass.Local, "95588", null)]
    [InlineData("96166", NumberKind.Service, NumberClass.Local, "96166", null)]
    [InlineData("01012345", NumberKind.Service, NumberClass.Local, "01012345", null)]
    [InlineData("02112345", NumberKind.Service, NumberClass.National, "02112345", null)]
    // Non-geographic.
    [InlineData("4008123123", NumberKind.NonGeographic, NumberClass.National, "4008123123", "+864008123123")]
    [InlineData("8008100000", NumberKind.NonGeographic, NumberClass.National, "8008100000", "+868008100000")]
    // International.
    [InlineData("00442079460958", NumberKind.International, NumberClass.International, "00442079460958", "+442079460958")]
    [InlineData("+44 20 7946 0958", NumberKind.International, NumberClass.International, "00442079460958", "+442079460958")]
    [InlineData("+1 (212) 555-0100", NumberKind.International, NumberClass.International, "0012125550100", "+12125550100")]
    [InlineData("00852 2123 4567", NumberKind.International, NumberClass.International, "0085221234567", "+85221234567")]
    public void Recognises_Chinese_numbers(string dialled, NumberKind kind, NumberClass cls, string national, string? e164)
    {
        var n = China.Parse(dialled);
        Assert.Equal(kind, n.Kind);
        Assert.Equal(cls, n.Class);
        Assert.Equal(national, n.National);
        Assert.Equal(e164, n.E164);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1001")]            // an extension-like number is not a telephone number
    [InlineData("12800138000")]     // 12x is not a mobile range
    [InlineData("2150504433")]      // area code without the trunk prefix
    [InlineData("0215050")]         // too short for Shanghai
    [InlineData("021505044331")]    // too long for Shanghai
    [InlineData("01002345678")]     // subscriber numbers don't start with 0
    [InlineData("001")]             // international prefix with no number
    [InlineData("+86")]
    [InlineData("+0123456789")]     // country codes don't start with 0
    [InlineData("0012345678901234567")] // longer than E.164 allows
    [InlineData("*72")]
    [InlineData("abc")]
    [InlineData("13800138000x")]
    public void Refuses_what_is_not_a_number(string dialled)
    {
        var n = China.Parse(dialled);
        Assert.False(n.IsKnown);
        Assert.Equal(NumberKind.Unknown, n.Kind);
    }

    [Fact]
    public void Local_numbers_take_the_configured_area_code()
    {
        var shanghai = new NumberingPlan(new NumberingOptions { LocalAreaCode = "21" });
        var local = shanghai.Parse("50504433");
        Assert.Equal(NumberClass.Local, local.Class);
        Assert.Equal("02150504433", local.National);
        Assert.Equal("+862150504433", local.E164);
        Assert.Equal("21", local.AreaCode);
        // The same number with its area code is local too; Beijing's is national from Shanghai.
        Assert.Equal(NumberClass.Local, shanghai.Classify("02150504433"));
        Assert.Equal(NumberClass.National, shanghai.Classify("01062345678"));
    }

    [Fact]
    public void Without_a_local_area_code_local_numbers_stay_as_dialled()
    {
        var plan = new NumberingPlan(new NumberingOptions { LocalAreaCode = "" });
        var n = plan.Parse("62345678");
        Assert.Equal(NumberClass.Local, n.Class);
        Assert.Equal("62345678", n.National);
        Assert.Null(n.E164);
    }

    [Fact]
    public void Mobile_class_is_configurable()
    {
        var plan = new NumberingPlan(new NumberingOptions { MobileClass = "local" });
        Assert.Equal(NumberClass.Local, plan.Classify("13800138000"));
    }

    [Theory]
    [InlineData("13800138000", NumberFormat.National, "13800138000")]
    [InlineData("13800138000", NumberFormat.E164, "+8613800138000")]
    [InlineData("13800138000", NumberFormat.E164NoPlus, "8613800138000")]
    [InlineData("62345678", NumberFormat.National, "01062345678")]
    [InlineData("62345678", NumberFormat.E164, "+861062345678")]
    [InlineData("+442079460958", NumberFormat.National, "00442079460958")]
    [InlineData("+442079460958", NumberFormat.E164NoPlus, "442079460958")]
    // Short codes have no E.164 form: they go as dialled whatever the trunk wants.
    [InlineData("110", NumberFormat.E164, "110")]
    [InlineData("12345", NumberFormat.E164NoPlus, "12345")]
    public void Writes_numbers_in_the_format_asked_for(string dialled, NumberFormat format, string expected) =>
        Assert.Equal(expected, China.Parse(dialled).Format(format));

    [Theory]
    [InlineData(NumberClass.Internal, NumberClass.Internal, true)]
    [InlineData(NumberClass.Internal, NumberClass.Local, false)]
    [InlineData(NumberClass.Internal, NumberClass.Emergency, true)]
    [InlineData(NumberClass.Local, NumberClass.Local, true)]
    [InlineData(NumberClass.Local, NumberClass.National, false)]
    [InlineData(NumberClass.National, NumberClass.Local, true)]
    [InlineData(NumberClass.National, NumberClass.National, true)]
    [InlineData(NumberClass.National, NumberClass.International, false)]
    [InlineData(NumberClass.International, NumberClass.International, true)]
    [InlineData(NumberClass.International, NumberClass.Emergency, true)]
    public void Permission_ladder_with_emergency_always_allowed(NumberClass permitted, NumberClass number, bool allowed) =>
        Assert.Equal(allowed, permitted.Permits(number));

    [Fact]
    public void Other_countries_get_the_generic_plan()
    {
        var uk = new NumberingPlan(new NumberingOptions { CountryCode = "44", LocalAreaCode = "20", EmergencyNumbers = ["999", "112"] });
        var national = uk.Parse("01614960000");
        Assert.Equal((NumberClass.National, "+441614960000"), (national.Class, national.E164));
        var local = uk.Parse("79460958");
        Assert.Equal((NumberClass.Local, "02079460958", "+442079460958"), (local.Class, local.National, local.E164));
        Assert.Equal(NumberClass.Emergency, uk.Classify("999"));
        Assert.Equal(NumberClass.Emergency, uk.Classify("112"));
        Assert.Equal(NumberClass.International, uk.Classify("0086 10 6234 5678"));
        Assert.Equal(NumberClass.National, uk.Classify("+44 161 496 0000"));
        Assert.False(uk.Parse("110").Class == NumberClass.Emergency);
    }

    [Theory]
    [InlineData("CountryCode", "086")]
    [InlineData("LocalAreaCode", "010")]
    [InlineData("MobileClass", "internal")]
    [InlineData("EmergencyNumbers:1", "11x")]
    public void Bad_options_name_the_field(string field, string value)
    {
        var o = new NumberingOptions();
        switch (field)
        {
            case "CountryCode": o.CountryCode = value; break;
            case "LocalAreaCode": o.LocalAreaCode = value; break;
            case "MobileClass": o.MobileClass = value; break;
            default: o.EmergencyNumbers = ["110", value]; break;
        }
        var e = Assert.Throws<InvalidOperationException>(o.Validate);
        Assert.Contains($"Numbering:{field}", e.Message);
    }
}
