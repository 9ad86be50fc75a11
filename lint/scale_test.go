package lint

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// checkTime returns how long the checker takes on text, DocumentSystems
// included, as the CLI runs them.
func checkTime(text string) time.Duration {
	start := time.Now()
	New(Roster{Systems: DocumentSystems(text)}).Text("document", text)
	return time.Since(start)
}

// TestLinearTime checks that four times the text takes about four times
// as long, not sixteen: a viewer's request must not tie up the server.
func TestLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("times large inputs")
	}
	cases := map[string]string{
		"handles":  "Ping @bob now. ",
		"emails":   "Mail bob@example.com now. ",
		"phones":   "Call 415-555-0187 now. ",
		"columns":  "| a ",
		"headings": "# Heading\n",
		"labels":   "|human error",
		"lapses":   "|Bob forgot it",
		"warned":   "|told not to, ignored it anyway",
	}
	for name, unit := range cases {
		t.Run(name, func(t *testing.T) {
			small := strings.Repeat(unit, 100_000/len(unit))
			if name == "columns" {
				small = strings.Repeat(unit, 100_000/len(unit)) + "|\n" +
					strings.Repeat("|---", 100_000/len(unit)) + "|\n"
			}
			big := strings.Repeat(small, 4)
			a, b := checkTime(small), checkTime(big)
			t.Logf("%s: 100 KB %v, 400 KB %v", name, a, b)
			if b > 8*a+200*time.Millisecond {
				t.Errorf("%s: 100 KB took %v, 400 KB took %v: growth is not linear", name, a, b)
			}
		})
	}
}

// BenchmarkHandles checks 200 KB and 800 KB of chat handles: the second
// should take about four times the first.
func BenchmarkHandles(b *testing.B) {
	for _, size := range []int{200_000, 800_000} {
		unit := "Ping @bob now. "
		text := strings.Repeat(unit, size/len(unit))
		b.Run(fmt.Sprintf("%dKB", size/1000), func(b *testing.B) {
			for b.Loop() {
				New(Roster{Systems: DocumentSystems(text)}).Text("document", text)
			}
		})
	}
}

// TestTextContextStops checks that a cancelled check ends early with the
// context's error instead of reading the whole text.
func TestTextContextStops(t *testing.T) {
	text := strings.Repeat("Priya forgot to renew the certificate. ", 200_000)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	start := time.Now()
	_, err := New(Roster{}).TextContext(ctx, "document", text)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the check went on for %v after it was cancelled", d)
	}
}
