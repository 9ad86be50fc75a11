package sqlstore

import "testing"

func TestPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain words stay", "plain words stay"},
		{"**Root causes:** the *pool* and __the__ _queue_", "Root causes: the pool and the queue"},
		{"~~wrong~~ right", "wrong right"},
		{"set `max_connections` to 200", "set max_connections to 200"},
		{"max_connections and snake_case_name", "max_connections and snake_case_name"},
		{"see [the runbook](http://wiki/runbook?a=1) now", "see the runbook now"},
		{"see [**bold** link](http://x/(y)) now", "see bold link now"},
		{"a [reference][ref] link", "a reference link"},
		{"![diagram](img.png) below", "diagram below"},
		{"[not a link] stays", "[not a link] stays"},
		{"## Timeline ##", "Timeline"},
		{"###### Six", "Six"},
		{"#hashtag stays", "#hashtag stays"},
		{"> quoted **text**", "quoted text"},
		{"| Time | Event |\n|---|:---:|\n| 10:00 | paged |",
			"  Time   Event  \n\n  10:00   paged  "},
		{"line<br>break and <span class=\"x\">span</span>", "linebreak and span"},
		{"auto <https://status.example.com/1> link", "auto https://status.example.com/1 link"},
		{"a < b and c > d", "a < b and c > d"},
		{`escaped \*star\* and \_under\_`, "escaped *star* and _under_"},
		{"5 * 3 = 15", "5  3 = 15"},
		{"unclosed [bracket( and `tick", "unclosed [bracket( and tick"},
		{"héllo *wörld*", "héllo wörld"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := plainText(tt.in); got != tt.want {
			t.Errorf("plainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"**a**", "[a](b)", "[[a]](", "<a <b>", "|-|", "\\", "_x_",
		"# h", "![", "<", "`"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := plainText(s)
		if len(got) > len(s) {
			t.Errorf("plainText(%q) = %q grew", s, got)
		}
		if plainText(got+"\n"+got) != plainText(got)+"\n"+plainText(got) {
			t.Errorf("plainText of %q does not work line by line", got)
		}
	})
}
