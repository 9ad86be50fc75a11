package timestamp

import (
	"testing"
	"time"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParse(t *testing.T) {
	tests := []struct {
		name      string
		zone      string
		date      [3]int
		dayFirst  bool
		in        string
		want      time.Time
		precision Precision
		flag      string
		text      string
	}{
		{name: "12h with zone", date: [3]int{2021, 5, 26}, in: "04:49 PM UTC",
			want: utc("2021-05-26T16:49:00Z"), precision: PrecisionMinute},
		{name: "12h compact", zone: "UTC", date: [3]int{2021, 5, 26}, in: "4:49pm",
			want: utc("2021-05-26T16:49:00Z"), precision: PrecisionMinute},
		{name: "24h report zone", zone: "CET", date: [3]int{2020, 1, 20}, in: "16:49",
			want: utc("2020-01-20T15:49:00Z"), precision: PrecisionMinute},
		{name: "seconds", zone: "UTC", date: [3]int{2021, 5, 10}, in: "16:49:05",
			want: utc("2021-05-10T16:49:05Z"), precision: PrecisionSecond},
		{name: "four digits with hrs", zone: "UTC", date: [3]int{2021, 5, 10}, in: "1649 hrs",
			want: utc("2021-05-10T16:49:00Z"), precision: PrecisionMinute},
		{name: "four digits alone are no clock", zone: "UTC", in: "1649",
			flag: FlagUnparsed},
		{name: "ISO date time", zone: "UTC", in: "2022-06-07 08:30",
			want: utc("2022-06-07T08:30:00Z"), precision: PrecisionMinute},
		{name: "ISO with Z", zone: "PST", in: "2016-08-18T19:00:00Z",
			want: utc("2016-08-18T19:00:00Z"), precision: PrecisionSecond},
		{name: "ISO with offset", in: "2016-08-18T19:00:00+02:00",
			want: utc("2016-08-18T17:00:00Z"), precision: PrecisionSecond},
		{name: "US numeric date", in: "01/05/2024", precision: PrecisionDate},
		{name: "EU numeric date", dayFirst: true, in: "01-05-2024 10:00",
			want: utc("2024-05-01T10:00:00Z"), precision: PrecisionMinute},
		{name: "day past 12 forces day first", in: "26/05/2021 10:00",
			want: utc("2021-05-26T10:00:00Z"), precision: PrecisionMinute},
		{name: "month name", zone: "PDT", in: "May 3, 2021 9:16 PM",
			want: utc("2021-05-04T04:16:00Z"), precision: PrecisionMinute},
		{name: "day month", zone: "UTC", in: "3 May 2021 10:00",
			want: utc("2021-05-03T10:00:00Z"), precision: PrecisionMinute},
		{name: "weekday day month, year from context", zone: "UTC", date: [3]int{2022, 1, 1},
			in: "Thursday 2 June 14:00", want: utc("2022-06-02T14:00:00Z"),
			precision: PrecisionMinute},
		{name: "zone after time wins", zone: "PST", date: [3]int{2022, 10, 20},
			in: "15:38 CST", want: utc("2022-10-20T21:38:00Z"), precision: PrecisionMinute},
		{name: "Japan time", zone: "Japan time", date: [3]int{2021, 5, 10}, in: "19:03",
			want: utc("2021-05-10T10:03:00Z"), precision: PrecisionMinute},
		{name: "region zone follows daylight saving", zone: "PT", date: [3]int{2021, 7, 1},
			in: "10:00", want: utc("2021-07-01T17:00:00Z"), precision: PrecisionMinute},
		{name: "offset zone", date: [3]int{2021, 7, 1}, in: "10:00 UTC+2",
			want: utc("2021-07-01T08:00:00Z"), precision: PrecisionMinute},
		{name: "placeholder time gives a date", zone: "UTC", in: "2022-06-02 HH:mm",
			precision: PrecisionDate},
		{name: "placeholder question marks", zone: "UTC", in: "2022-06-02 ??",
			precision: PrecisionDate},
		{name: "placeholder date", in: "2022-05-?? HH:mm", flag: FlagUnparsed},
		{name: "template date", in: "20xx-MM-DD HH:mm", flag: FlagUnparsed},
		{name: "13 PM", date: [3]int{2021, 10, 30}, in: "13:55 PM PST", flag: FlagImpossible},
		{name: "25 o'clock", date: [3]int{2021, 10, 30}, in: "25:10", flag: FlagImpossible},
		{name: "February 30", in: "2022-02-30", flag: FlagImpossible},
		{name: "five digit year", in: "20202-01-16 12:00", flag: FlagImpossible},
		{name: "three digit year", in: "11/03/202", flag: FlagImpossible},
		{name: "approximate suffix", zone: "CET", in: "2020-11-17 10:45~",
			want: utc("2020-11-17T09:45:00Z"), precision: PrecisionMinute, flag: FlagApproximate},
		{name: "approximate word", zone: "UTC", date: [3]int{2020, 1, 1}, in: "about 10:45",
			want: utc("2020-01-01T10:45:00Z"), precision: PrecisionMinute, flag: FlagApproximate},
		{name: "no date known", zone: "UTC", in: "10:45", precision: PrecisionMinute},
		{name: "range keeps the start", zone: "CET", in: "2020-10-06 09:00 - 11:00",
			want: utc("2020-10-06T08:00:00Z"), precision: PrecisionMinute},
		{name: "words", in: "sometime later", flag: FlagUnparsed},
		{name: "offset past 14 hours", zone: "UTC", in: "2024-03-01T10:00:00+25:00",
			flag: FlagImpossible},
		{name: "year far ahead", zone: "UTC", in: "9999-12-31 23:59", flag: FlagImpossible},
		{name: "year one", zone: "UTC", in: "0001-01-01 00:00", flag: FlagImpossible},
		{name: "context year far ahead", zone: "UTC", date: [3]int{3000, 1, 1}, in: "10:00",
			flag: FlagImpossible},
		{name: "historic year", zone: "UTC", in: "1969-07-20 20:17",
			want: utc("1969-07-20T20:17:00Z"), precision: PrecisionMinute},
		{name: "daylight saving gap", zone: "America/New_York", in: "2024-03-10 02:30",
			flag: FlagImpossible},
		{name: "gap by region word", zone: "ET", in: "2024-03-10 02:30", flag: FlagImpossible},
		{name: "abbreviation has no gap", zone: "EST", in: "2024-03-10 02:30",
			want: utc("2024-03-10T07:30:00Z"), precision: PrecisionMinute},
		{name: "daylight saving overlap reads the first", zone: "America/New_York",
			in: "2024-11-03 01:30", want: utc("2024-11-03T05:30:00Z"),
			precision: PrecisionMinute, flag: FlagApproximate},
		{name: "just after the overlap", zone: "ET", in: "2024-11-03 02:00",
			want: utc("2024-11-03T07:00:00Z"), precision: PrecisionMinute},
		{name: "southern hemisphere gap", zone: "Australia/Sydney", in: "2024-10-06 02:15",
			flag: FlagImpossible},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewParser()
			if tt.zone != "" && !p.SetZone(tt.zone) {
				t.Fatalf("SetZone(%q) failed", tt.zone)
			}
			p.SetDate(tt.date[0], tt.date[1], tt.date[2])
			p.DayFirst = tt.dayFirst
			got := p.Parse(tt.in)
			if !got.UTC.Equal(tt.want) {
				t.Errorf("UTC = %v, want %v (%+v)", got.UTC, tt.want, got)
			}
			if got.Precision != tt.precision {
				t.Errorf("Precision = %v, want %v", got.Precision, tt.precision)
			}
			if got.Has(FlagImpossible) && (got.Problem == "" || !got.UTC.IsZero()) {
				t.Errorf("impossible with problem %q and moment %v", got.Problem, got.UTC)
			}
			if tt.flag != "" && !got.Has(tt.flag) {
				t.Errorf("Flags = %v, want %q", got.Flags, tt.flag)
			}
			if tt.flag == "" && len(got.Flags) > 0 {
				t.Errorf("unexpected flags %v (%s)", got.Flags, got.Problem)
			}
			if got.Text == "" {
				t.Errorf("Text is empty")
			}
		})
	}
}

func TestParsePrefix(t *testing.T) {
	tests := []struct {
		in, text, rest string
	}{
		{"04:49 PM UTC Site repo branch Master", "04:49 PM UTC", "Site repo branch Master"},
		{"**16:58 UTC** - Writer database begins", "16:58 UTC", "Writer database begins"},
		{"12:45 PM PST Saturday Oct 30th: First wave", "12:45 PM PST Saturday Oct 30th",
			"First wave"},
		{"**June 14th, 2022, 10:00 AM:** As part of", "June 14th, 2022, 10:00 AM", "As part of"},
		{"02-13-2025 11:00 pm - Mempool count", "02-13-2025 11:00 pm", "Mempool count"},
		{"10/20/2022 - 15:38 CST - a user", "10/20/2022 - 15:38 CST", "a user"},
		{"22:30 UTC (Oct 29) - Incident reported", "22:30 UTC (Oct 29)", "Incident reported"},
		{"12:48 (6:48 PDT): The last block", "12:48 (6:48 PDT)", "The last block"},
		{"06-10-2025 - The issue was reported", "06-10-2025", "The issue was reported"},
		{"13:11: I looked", "13:11", "I looked"},
		{"14:20-2:00 Through the next two hours", "14:20-2:00", "Through the next two hours"},
		{"_7/5/2023_", "7/5/2023", ""},
		{"February 15, 2024: 7:56am UTC", "February 15, 2024: 7:56am UTC", ""},
	}
	for _, tt := range tests {
		p := NewParser()
		p.SetYear(2021)
		got, rest, ok := p.ParsePrefix(tt.in)
		if !ok || got.Text != tt.text || rest != tt.rest {
			t.Errorf("ParsePrefix(%q) = %q, %q, %v; want %q, %q",
				tt.in, got.Text, rest, ok, tt.text, tt.rest)
		}
	}
	for _, in := range []string{"Some text", "3 replicas", "1.1.4-hotfix", "Monday meeting",
		"about the incident", "2021 was a year"} {
		if got, _, ok := NewParser().ParsePrefix(in); ok {
			t.Errorf("ParsePrefix(%q) found %q", in, got.Text)
		}
	}
}

func TestEntryRun(t *testing.T) {
	p := NewParser()
	p.SetZone("UTC")
	p.SetDate(2021, 5, 26)
	steps := []struct {
		in   string
		want string
		flag string
	}{
		{"23:50", "2021-05-26T23:50:00Z", ""},
		{"00:10", "2021-05-27T00:10:00Z", ""},
		{"00:20", "2021-05-27T00:20:00Z", ""},
		{"00:15", "2021-05-27T00:15:00Z", FlagOutOfOrder},
		{"2021-06-01", "", ""},
		{"08:00", "2021-06-01T08:00:00Z", ""},
		{"2021-05-31 09:00", "2021-05-31T09:00:00Z", FlagOutOfOrder},
		// The run goes on from a dated step back: the times after it are
		// on its date, not rolled over to the next day.
		{"09:30", "2021-05-31T09:30:00Z", ""},
		// A year typed wrong puts one line far ahead; the lines after it
		// that give their own date start again from there.
		{"2025-02-14 23:30", "2025-02-14T23:30:00Z", ""},
		{"2021-06-14 10:00", "2021-06-14T10:00:00Z", FlagOutOfOrder},
		{"12:48", "2021-06-14T12:48:00Z", ""},
		// Still before the time before it even a day later: flagged where
		// it is written, not moved to the next day.
		{"2021-06-14 11:00", "2021-06-14T11:00:00Z", FlagOutOfOrder},
	}
	for _, s := range steps {
		got := p.Entry(s.in)
		var want time.Time
		if s.want != "" {
			want = utc(s.want)
		}
		if !got.UTC.Equal(want) || (s.flag != "") != got.Has(s.flag) {
			t.Errorf("Entry(%q) = %v %v, want %v %q", s.in, got.UTC, got.Flags, want, s.flag)
		}
	}
}

func TestFindZone(t *testing.T) {
	tests := map[string]string{
		"All times in CET.":                 "CET",
		"Timeline (all times PST) 06/10/25": "PST",
		"Timeline (all times PT )":          "PT",
		"all times in Japan time":           "JST",
		"Date and Time in CET":              "CET",
		"Time (UTC)":                        "UTC",
		"Times are Europe/Copenhagen":       "Europe/Copenhagen",
		"All times UTC+2":                   "UTC+02:00",
		"Timeline":                          "",
	}
	for in, want := range tests {
		got, _ := FindZone(in)
		if got != want {
			t.Errorf("FindZone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFindDate(t *testing.T) {
	p := NewParser()
	p.SetYear(2022)
	tests := map[string][3]int{
		"2021-05-26":                     {2021, 5, 26},
		"Thursday 2 June":                {2022, 6, 2},
		"Website Outage 5-26-21":         {2021, 5, 26},
		"October 21, 2025 - Redis":       {2025, 10, 21},
		"Incident Timeline":              {0, 0, 0},
		"Timeline (PST) 4/21/23-4/25/23": {2023, 4, 21},
	}
	for in, want := range tests {
		y, m, d, _ := p.FindDate(in)
		if [3]int{y, m, d} != want {
			t.Errorf("FindDate(%q) = %d-%d-%d, want %v", in, y, m, d, want)
		}
	}
	if y, ok := FindYear("PM2022-006 - ALB 502 errors.md"); !ok || y != 2022 {
		t.Errorf("FindYear = %d, %v", y, ok)
	}
}

// An abbreviation the report's zone uses for its own time is read in that
// zone; elsewhere it keeps its usual meaning.
func TestAbbreviationOfTheReportsOwnZone(t *testing.T) {
	tests := []struct{ zone, text, want string }{
		{"Asia/Shanghai", "2026-03-07 10:00 CST", "2026-03-07T02:00:00Z"},
		{"America/Chicago", "2026-03-07 10:00 CST", "2026-03-07T16:00:00Z"},
		{"UTC", "2026-03-07 10:00 CST", "2026-03-07T16:00:00Z"},
		{"Europe/Dublin", "2026-07-07 10:00 IST", "2026-07-07T09:00:00Z"},
		{"Asia/Kolkata", "2026-07-07 10:00 IST", "2026-07-07T04:30:00Z"},
	}
	for _, tt := range tests {
		p := NewParser()
		p.SetZone(tt.zone)
		if got := p.Parse(tt.text); !got.UTC.Equal(utc(tt.want)) {
			t.Errorf("in %s, %q = %v, want %s", tt.zone, tt.text, got.UTC, tt.want)
		}
	}
}
