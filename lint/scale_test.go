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

// growthCases are inputs that once took time in the square of their size.
var growthCases = map[string]string{
	"handles":  "Ping @bob now. ",
	"emails":   "Mail bob@example.com now. ",
	"phones":   "Call 415-555-0187 now. ",
	"columns":  "| a ",
	"headings": "# Heading\n",
	"labels":   "|human error",
	"lapses":   "|Bob forgot it",
	"warned":   "|told not to, ignored it anyway",
}

// BenchmarkGrowth checks 100 KB and 400 KB of each input that once grew
// with the square of its size, and reports how many times longer the
// larger took (about 4 when the checker is linear, 16 when quadratic): a
// viewer's request must not tie up the server. Timings on a shared
// machine are noisy, so this is a benchmark, not a test.
func BenchmarkGrowth(b *testing.B) {
	for name, unit := range growthCases {
		b.Run(name, func(b *testing.B) {
			small := strings.Repeat(unit, 100_000/len(unit))
			if name == "columns" {
				small = strings.Repeat(unit, 100_000/len(unit)) + "|\n" +
					strings.Repeat("|---", 100_000/len(unit)) + "|\n"
			}
			big := strings.Repeat(small, 4)
			var a, c time.Duration
			for b.Loop() {
				a += checkTime(small)
				c += checkTime(big)
			}
			b.ReportMetric(float64(c)/float64(a), "400KB/100KB")
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
	// A check that did not look at its context would read all 8 MB and
	// return no error.
	_, err := New(Roster{}).TextContext(ctx, "document", text)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
