// B5 from C# (P/Invoke): 100,000 no-I/O calls of the Paymes hash helper.
using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

internal static class B5
{
    private static long Rss()
    {
        string line = File.ReadAllLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmRSS:"));
        return line == null ? 0 : long.Parse(line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries)[1]);
    }

    private static int Main()
    {
        string[] parts = { "123456789", "1050.00", "TRY", "Ürün İsmi", "Mehmet Yılmaz", "05555555555", "email@example.com", "Örnek adres bilgisi" };
        const int n = 100000;
        long rss1000 = 0;
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < n; i++)
        {
            Odeme.OdemeClient.PaymesHash(parts, "111111111");
            if (i == 999) rss1000 = Rss();
        }
        double ns = sw.Elapsed.TotalMilliseconds * 1e6 / n;
        Console.WriteLine("{\"lang\":\"C#\",\"ns_per_call\":" + ns.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) +
                          ",\"rss_after_1000_kib\":" + rss1000 + ",\"rss_after_100000_kib\":" + Rss() + "}");
        return 0;
    }
}
