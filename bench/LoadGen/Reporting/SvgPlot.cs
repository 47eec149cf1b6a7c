using System.Globalization;
using System.Text;

namespace CityArray.LoadGen.Reporting;

/// <summary>A small dependency-free SVG line chart (one line per system), written by the benchmark itself.</summary>
public static class SvgPlot
{
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd"];

    public static string Lines(string title, string xLabel, string yLabel, IReadOnlyList<(string Name, IReadOnlyList<(double X, double Y)> Points)> series)
    {
        const int w = 640, h = 400, left = 70, right = 170, top = 40, bottom = 50;
        var all = series.SelectMany(s => s.Points).ToList();
        var xMax = all.Count == 0 ? 1 : all.Max(p => p.X);
        var yMax = all.Count == 0 ? 1 : all.Max(p => p.Y);
        xMax = xMax <= 0 ? 1 : xMax * 1.05;
        yMax = yMax <= 0 ? 1 : yMax * 1.1;
        double X(double x) => left + x / xMax * (w - left - right);
        double Y(double y) => h - bottom - y / yMax * (h - top - bottom);
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.AppendLine($"<rect width=\"{w}\" height=\"{h}\" fill=\"white\"/>");
        svg.AppendLine($"<text x=\"{w / 2 - 60}\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{Escape(title)}</text>");
        svg.AppendLine($"<line x1=\"{left}\" y1=\"{h - bottom}\" x2=\"{w - right}\" y2=\"{h - bottom}\" stroke=\"black\"/>");
        svg.AppendLine($"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{h - bottom}\" stroke=\"black\"/>");
        for (var i = 0; i <= 5; i++)
        {
            var yv = yMax * i / 5; var xv = xMax * i / 5;
            svg.AppendLine($"<line x1=\"{left}\" y1=\"{F(Y(yv))}\" x2=\"{w - right}\" y2=\"{F(Y(yv))}\" stroke=\"#ddd\"/>");
            svg.AppendLine($"<text x=\"{left - 6}\" y=\"{F(Y(yv) + 4)}\" text-anchor=\"end\">{Num(yv)}</text>");
            svg.AppendLine($"<text x=\"{F(X(xv))}\" y=\"{h - bottom + 16}\" text-anchor=\"middle\">{Num(xv)}</text>");
        }
        svg.AppendLine($"<text x=\"{(left + w - right) / 2}\" y=\"{h - 12}\" text-anchor=\"middle\">{Escape(xLabel)}</text>");
        svg.AppendLine($"<text transform=\"translate(16,{(top + h - bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(yLabel)}</text>");
        for (var s = 0; s < series.Count; s++)
        {
            var color = Colors[s % Colors.Length];
            var pts = series[s].Points.OrderBy(p => p.X).ToList();
            svg.AppendLine($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(' ', pts.Select(p => $"{F(X(p.X))},{F(Y(p.Y))}"))}\"/>");
            foreach (var p in pts) svg.AppendLine($"<circle cx=\"{F(X(p.X))}\" cy=\"{F(Y(p.Y))}\" r=\"3.5\" fill=\"{color}\"/>");
            svg.AppendLine($"<rect x=\"{w - right + 12}\" y=\"{top + s * 20}\" width=\"12\" height=\"12\" fill=\"{color}\"/>");
            svg.AppendLine($"<text x=\"{w - right + 30}\" y=\"{top + s * 20 + 10}\">{Escape(series[s].Name)}</text>");
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static string Num(double v) => v switch
    {
        >= 10_000 => (v / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        >= 100 => v.ToString("0", CultureInfo.InvariantCulture),
        _ => v.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
