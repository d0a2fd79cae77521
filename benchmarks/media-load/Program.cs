using System.Globalization;
using Hotline.MediaLoad;

// media-load: the media path under load. See README.md in this folder.
//   run    --legs N [--mode relay|transcode] [--record DIR] [--receive Epoll|AsyncReceive] [--seconds 20] [--warmup 3]
//          --legs N --mode room [--codec pcma|g722] [--room-size 10] [--talkers 2] [same --receive/--seconds/--warmup]
//   sweep  --steps 500,1000,2000,3000 [same options]: one run per step, a table, stops after the first failing step
//   host   (started by run/sweep: the engine under test in its own process)
var options = new Options(args);
switch (options.Command)
{
    case "host":
        return await EngineHost.Run(options);
    case "run":
    {
        var result = Runner.RunStep(options, options.Int("legs", 1000));
        Console.WriteLine(StepResult.Header(options.String("mode", "relay")));
        Console.WriteLine(result);
        return 0;
    }
    case "sweep":
    {
        Console.WriteLine(StepResult.Header(options.String("mode", "relay")));
        var steps = options.String("steps", "500,1000,2000,3000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture));
        double maxLossPercent = options.Double("max-loss-percent", 0.1);
        foreach (int legs in steps)
        {
            var result = Runner.RunStep(options, legs);
            Console.WriteLine(result);
            if (!result.Passed(maxLossPercent) && options.String("keep-going", "no") != "yes")
                break;
        }
        return 0;
    }
    default:
        Console.Error.WriteLine("usage: media-load run|sweep --legs N [--mode relay|transcode|room] [--codec pcma|g722] [--room-size 10] [--talkers 2] [--record DIR] [--receive Epoll|AsyncReceive] [--seconds 20]");
        return 2;
}
