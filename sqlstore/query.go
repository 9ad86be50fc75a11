package sqlstore

import (
	"strings"
	"unicode"
)

// searchQuery is a user's search parsed: every clause must match, a clause
// matching when any of its alternatives does; no exclusion may match.
//
// The parser understands words, "phrases", prefix* terms, -exclusions and OR
// between terms, like a web search box. A bare upper-case NOT excludes the
// term after it, as "-" does, and AND is accepted and ignored, since every
// clause must match anyway; in lower case both are stopwords. It never fails: what it cannot use
// (an unbalanced quote, a lone "-" or "*", a dangling OR) it ignores or reads
// as plain text. Terms are reduced to their runs of letters and digits, so the
// rendered queries contain no syntax the user typed.
type searchQuery struct {
	clauses [][]searchTerm
	exclude []searchTerm
}

// searchTerm is a word, or a phrase when it has several words. Words are
// lower-case runs of letters and digits.
type searchTerm struct {
	words  []string
	prefix bool
}

// maxTerms bounds the work one query can ask of the database.
const maxTerms = 32

// empty reports whether the query can match nothing: it has no positive
// term, only stopwords or only exclusions.
func (q searchQuery) empty() bool { return len(q.clauses) == 0 }

func parseSearch(s string) searchQuery {
	var q searchQuery
	or, not := false, false
	for n := 0; s != "" && n < maxTerms; n++ {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			break
		}
		neg := false
		if s[0] == '-' {
			neg = true
			s = s[1:]
		}

		var raw string
		quoted := false
		if strings.HasPrefix(s, `"`) {
			quoted = true
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				raw, s = s[1:], ""
			} else {
				raw, s = s[1:end+1], s[end+2:]
			}
		} else {
			end := strings.IndexFunc(s, unicode.IsSpace)
			if end < 0 {
				end = len(s)
			}
			raw, s = s[:end], s[end:]
		}

		if !quoted && !neg {
			switch raw {
			case "OR":
				or = len(q.clauses) > 0
				continue
			case "AND":
				continue
			case "NOT":
				not = true
				continue
			}
		}
		neg, not = neg || not, false
		t := searchTerm{}
		if !quoted && strings.HasSuffix(raw, "*") {
			t.prefix = true
			raw = strings.TrimRight(raw, "*")
		}
		t.words = words(raw)
		if len(t.words) == 0 || (!quoted && !t.prefix && len(t.words) == 1 && stopwords[t.words[0]]) {
			continue
		}

		switch {
		case neg:
			q.exclude = append(q.exclude, t)
		case or:
			last := len(q.clauses) - 1
			q.clauses[last] = append(q.clauses[last], t)
		default:
			q.clauses = append(q.clauses, []searchTerm{t})
		}
		or = false
	}
	return q
}

// words splits s into lower-case runs of letters and digits, which is how
// both databases' tokenizers see words, near enough.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	})
}

// fts5 renders the query in FTS5 syntax. Every term is a double-quoted
// string holding only letters, digits and spaces, so FTS5 reads it as a
// phrase and nothing in it as an operator.
func (q searchQuery) fts5() string {
	var b strings.Builder
	b.WriteString("(")
	for i, c := range q.clauses {
		if i > 0 {
			b.WriteString(" AND ")
		}
		b.WriteString("(")
		for j, t := range c {
			if j > 0 {
				b.WriteString(" OR ")
			}
			t.writeFTS5(&b)
		}
		b.WriteString(")")
	}
	b.WriteString(")")
	for _, t := range q.exclude {
		b.WriteString(" NOT ")
		t.writeFTS5(&b)
	}
	return b.String()
}

func (t searchTerm) writeFTS5(b *strings.Builder) {
	b.WriteByte('"')
	b.WriteString(strings.Join(t.words, " "))
	b.WriteByte('"')
	if t.prefix {
		b.WriteByte('*')
	}
}

// tsquery renders the query as a PostgreSQL tsquery expression, binding each
// term as an argument through bind, which returns its placeholder. Words and
// phrases go through websearch_to_tsquery; prefix terms, which it does not
// support, through to_tsquery with :*, safe because a term holds only
// letters and digits.
func (q searchQuery) tsquery(bind func(any) string) string {
	clauses := make([]string, 0, len(q.clauses)+len(q.exclude))
	for _, c := range q.clauses {
		alts := make([]string, len(c))
		for i, t := range c {
			alts[i] = t.tsquery(bind)
		}
		clauses = append(clauses, "("+strings.Join(alts, " || ")+")")
	}
	for _, t := range q.exclude {
		clauses = append(clauses, "!!"+t.tsquery(bind))
	}
	return strings.Join(clauses, " && ")
}

func (t searchTerm) tsquery(bind func(any) string) string {
	if t.prefix {
		return "to_tsquery('english', " + bind(strings.Join(t.words, " <-> ")+":*") + ")"
	}
	text := t.words[0]
	if len(t.words) > 1 {
		text = `"` + strings.Join(t.words, " ") + `"`
	}
	return "websearch_to_tsquery('english', " + bind(text) + ")"
}

// stopwords are English words too common to search for on their own, as in
// PostgreSQL's english configuration. FTS5 has no stop list, so without this
// "the" would match every report. Inside phrases they are kept.
var stopwords = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(`a about above after again against all am an and any
		are as at be because been before being below between both but by can did do does
		doing don down during each few for from further had has have having he her here hers
		herself him himself his how i if in into is it its itself just me more most my myself
		no nor not now of off on once only or other our ours ourselves out over own s same
		she should so some such t than that the their theirs them themselves then there these
		they this those through to too under until up very was we were what when where which
		while who whom why will with you your yours yourself yourselves`) {
		m[w] = true
	}
	return m
}()
