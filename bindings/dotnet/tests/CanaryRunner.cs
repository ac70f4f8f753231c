// scripts/canary-log's C# runner: a handler on the typed OdemeClient.Log event at debug appends
// every event (OdemeLogEvent.Json, as the handler received it) to $ODEME_CANARY_EVENTS; calls
// come one a line on stdin ("normal|short TAB operation TAB request-json") and each answer is
// one line ("ok TAB response-json" or "err TAB kind TAB message").
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Odeme;

internal static class CanaryRunner
{
    private static int Main()
    {
        var utf8 = new UTF8Encoding(false);
        var events = new StreamWriter(Environment.GetEnvironmentVariable("ODEME_CANARY_EVENTS"), true, utf8);
        var clients = new Dictionary<string, OdemeClient>
        {
            { "normal", new OdemeClient(Environment.GetEnvironmentVariable("ODEME_CANARY_CONFIG")) },
            { "short", new OdemeClient(Environment.GetEnvironmentVariable("ODEME_CANARY_SHORT_CONFIG")) },
        };
        int typedBodies = 0;
        foreach (OdemeClient c in clients.Values)
        {
            c.LogLevel = "debug";
            c.Log += (sender, e) =>
            {
                if (e.RequestBody != null && e.ResponseBody != null) typedBodies++;
                lock (events) { events.WriteLine(e.Json); events.Flush(); }
            };
        }
        var input = new StreamReader(Console.OpenStandardInput(), utf8);
        var output = new StreamWriter(Console.OpenStandardOutput(), utf8);
        string line;
        while ((line = input.ReadLine()) != null)
        {
            string[] parts = line.Split(new[] { '\t' }, 3);
            string answer;
            try { answer = "ok\t" + clients[parts[0]].Call(parts[1], parts[2]); }
            catch (OdemeException e) { answer = "err\t" + e.Kind + "\t" + e.Message; }
            output.WriteLine(answer.Replace('\n', ' '));
            output.Flush();
        }
        foreach (OdemeClient c in clients.Values)
        {
            if (c.LastLogHandlerError != null) { Console.Error.WriteLine("a Log handler threw: " + c.LastLogHandlerError); return 1; }
            c.Dispose();
        }
        // The typed event carries the bodies too (the events file holds OdemeLogEvent.Json).
        if (typedBodies == 0) { Console.Error.WriteLine("no OdemeLogEvent had RequestBody and ResponseBody"); return 1; }
        events.Close();
        return 0;
    }
}
