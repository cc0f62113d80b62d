using Portal.Tools.DeadLetters;

// dead-letters list|replay SERVICE [MAX]; the broker's administrator URL in PORTAL_BROKER_URL
// (scripts/dead-letters.sh finds it for the running system).
if (args.Length is < 2 or > 3 || args[0] is not ("list" or "replay")
    || (args.Length == 3 && !int.TryParse(args[2], out _)))
{
    Console.Error.WriteLine("usage: dead-letters list|replay SERVICE [MAX]");
    return 2;
}
var url = Environment.GetEnvironmentVariable("PORTAL_BROKER_URL");
if (string.IsNullOrEmpty(url))
{
    Console.Error.WriteLine("PORTAL_BROKER_URL (the broker administrator's amqp:// URL) is not set.");
    return 2;
}
var service = args[1];
var max = args.Length == 3 ? int.Parse(args[2]) : int.MaxValue;
await using var queue = await DeadLetterQueue.OpenAsync(new Uri(url), service);
if (args[0] == "list")
{
    foreach (var letter in await queue.ListAsync(max))
        Console.WriteLine(letter);
    return 0;
}
var report = await queue.ReplayAsync(max);
foreach (var line in report)
    Console.WriteLine(line);
return 0;
