using System.Net;
using System.Text.RegularExpressions;

namespace Torace.Notifications.Email;

/// <summary>
/// The plain-text part of an email, read from its HTML: paragraphs and list items on lines of their own, a link as its
/// words followed by its address (a text-only reader can still follow it), every tag dropped and every entity decoded.
/// </summary>
public static partial class PlainText
{
    public static string Of(string html)
    {
        var text = Link().Replace(html, m => $"{m.Groups["text"].Value}: {m.Groups["href"].Value}");
        text = ListItem().Replace(text, "\n- ");
        text = BlockEnd().Replace(text, "\n\n");
        text = LineBreak().Replace(text, "\n");
        text = WebUtility.HtmlDecode(Tag().Replace(text, ""));
        return BlankLines().Replace(string.Join('\n', text.Split('\n').Select(l => l.Trim())), "\n\n").Trim() + "\n";
    }

    [GeneratedRegex("<a\\s[^>]*href=\"(?<href>[^\"]*)\"[^>]*>(?<text>.*?)</a>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Link();

    [GeneratedRegex("<li[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ListItem();

    [GeneratedRegex("</(p|h1|h2|h3|ul|ol|div|blockquote)>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnd();

    [GeneratedRegex("<br\\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreak();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex("\n{3,}")]
    private static partial Regex BlankLines();
}
