package sqlstore

import (
	"slices"
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

// The two SQLite indexes of the same documents: search_fts stems words as
// PostgreSQL's english configuration does; search_words does not, so that a
// prefix term finds every word that starts with what the user typed.
const (
	stemmedIndex = "search_fts"
	wordsIndex   = "search_words"
)

// ftsMatch is an FTS5 expression and the index it is matched against.
type ftsMatch struct {
	index string
	expr  string
}

// ftsFilter is a condition on a search document d: that it is among the
// matches of any of its ftsMatches, or when not is set, of none of them.
type ftsFilter struct {
	not bool
	any []ftsMatch
}

func (f ftsFilter) sql(c *conditions) string {
	in := make([]string, len(f.any))
	for i, m := range f.any {
		in[i] = `d.id IN (SELECT rowid FROM ` + m.index + ` WHERE ` + m.index + ` MATCH ` +
			c.placeholder(m.expr) + `)`
	}
	s := "(" + strings.Join(in, " OR ") + ")"
	if f.not {
		return "NOT " + s
	}
	return s
}

// sqlitePlan is how a query runs on SQLite. The ranked matches are ranked and
// give the snippets; a hit must be among them and pass every filter.
//
// Whole words and phrases go to the stemmed index, prefix terms to the
// unstemmed one. The stemmed index ranks when the query has a clause of
// whole words only, the unstemmed one when it has a clause of prefixes only;
// the other clauses and exclusions become filters. When every clause mixes
// the two (dns OR resolv*), both indexes rank, each its own alternatives.
type sqlitePlan struct {
	ranked  []ftsMatch
	filters []ftsFilter
}

func (q searchQuery) sqlitePlan() sqlitePlan {
	var whole, prefix, mixed [][]searchTerm
	for _, c := range q.clauses {
		w, p := splitPrefix(c)
		switch {
		case len(p) == 0:
			whole = append(whole, c)
		case len(w) == 0:
			prefix = append(prefix, c)
		default:
			mixed = append(mixed, c)
		}
	}
	exWhole, exPrefix := splitPrefix(q.exclude)

	var plan sqlitePlan
	switch {
	case len(whole) > 0:
		plan.ranked = []ftsMatch{{stemmedIndex, searchQuery{whole, exWhole}.fts5()}}
		exWhole = nil
		if len(prefix) > 0 {
			plan.filter(false, ftsMatch{wordsIndex, searchQuery{clauses: prefix}.fts5()})
		}
	case len(prefix) > 0:
		plan.ranked = []ftsMatch{{wordsIndex, searchQuery{prefix, exPrefix}.fts5()}}
		exPrefix = nil
	default:
		w, p := splitPrefix(slices.Concat(mixed...))
		plan.ranked = []ftsMatch{{stemmedIndex, anyOf(w)}, {wordsIndex, anyOf(p)}}
		if len(mixed) == 1 {
			// The two ranked matches together are the clause.
			mixed = nil
		}
	}
	for _, c := range mixed {
		w, p := splitPrefix(c)
		plan.filter(false, ftsMatch{stemmedIndex, anyOf(w)}, ftsMatch{wordsIndex, anyOf(p)})
	}
	if len(exWhole) > 0 {
		plan.filter(true, ftsMatch{stemmedIndex, anyOf(exWhole)})
	}
	if len(exPrefix) > 0 {
		plan.filter(true, ftsMatch{wordsIndex, anyOf(exPrefix)})
	}
	return plan
}

func (p *sqlitePlan) filter(not bool, any ...ftsMatch) {
	p.filters = append(p.filters, ftsFilter{not: not, any: any})
}

// splitPrefix separates whole words and phrases from prefix terms.
func splitPrefix(terms []searchTerm) (whole, prefix []searchTerm) {
	for _, t := range terms {
		if t.prefix {
			prefix = append(prefix, t)
		} else {
			whole = append(whole, t)
		}
	}
	return whole, prefix
}

// anyOf renders terms as an FTS5 expression matching any of them.
func anyOf(terms []searchTerm) string {
	return searchQuery{clauses: [][]searchTerm{terms}}.fts5()
}

// pgSearch is a query rendered for PostgreSQL over search_documents d: the
// condition a hit meets, the expression that ranks it, and the text search
// configuration and tsquery that mark its snippet.
type pgSearch struct {
	match  string
	rank   string
	config string
	marked string
}

// postgres renders the query for PostgreSQL, binding each term as an
// argument through bind, which returns its placeholder. Whole words and
// phrases match the stemmed vector d.document through websearch_to_tsquery;
// prefix terms match the unstemmed d.words through to_tsquery with :*, safe
// because a term holds only letters and digits. Clauses of one kind are
// joined into one tsquery, so that one GIN lookup serves them.
func (q searchQuery) postgres(bind func(any) string) pgSearch {
	var whole, prefix, conds []string
	var wholeAll, prefixAll []string // every positive term, to rank and mark
	for _, c := range q.clauses {
		w, p := splitPrefix(c)
		ws, ps := tsAny(w, bind), tsAny(p, bind)
		wholeAll, prefixAll = append(wholeAll, ws...), append(prefixAll, ps...)
		switch {
		case len(p) == 0:
			whole = append(whole, "("+strings.Join(ws, " || ")+")")
		case len(w) == 0:
			prefix = append(prefix, "("+strings.Join(ps, " || ")+")")
		default:
			conds = append(conds, "(d.document @@ ("+strings.Join(ws, " || ")+
				") OR d.words @@ ("+strings.Join(ps, " || ")+"))")
		}
	}
	if len(prefix) > 0 {
		conds = append([]string{"d.words @@ (" + strings.Join(prefix, " && ") + ")"}, conds...)
	}
	if len(whole) > 0 {
		conds = append([]string{"d.document @@ (" + strings.Join(whole, " && ") + ")"}, conds...)
	}
	exWhole, exPrefix := splitPrefix(q.exclude)
	if len(exWhole) > 0 {
		conds = append(conds, "NOT d.document @@ ("+strings.Join(tsAny(exWhole, bind), " || ")+")")
	}
	if len(exPrefix) > 0 {
		conds = append(conds, "NOT d.words @@ ("+strings.Join(tsAny(exPrefix, bind), " || ")+")")
	}

	s := pgSearch{match: strings.Join(conds, " AND ")}
	var ranks []string
	if len(wholeAll) > 0 {
		ranks = append(ranks, "ts_rank_cd(d.document, "+strings.Join(wholeAll, " || ")+")")
	}
	if len(prefixAll) > 0 {
		ranks = append(ranks, "ts_rank_cd(d.words, "+strings.Join(prefixAll, " || ")+")")
	}
	s.rank = strings.Join(ranks, " + ")
	// Snippets mark whole words when there are any; the english
	// configuration cannot see a prefix in the stems it makes of the text.
	s.config, s.marked = "english", strings.Join(wholeAll, " || ")
	if len(wholeAll) == 0 {
		s.config, s.marked = "simple", strings.Join(prefixAll, " || ")
	}
	return s
}

// tsAny renders each term as a tsquery.
func tsAny(terms []searchTerm, bind func(any) string) []string {
	s := make([]string, len(terms))
	for i, t := range terms {
		s[i] = t.tsquery(bind)
	}
	return s
}

func (t searchTerm) tsquery(bind func(any) string) string {
	if t.prefix {
		return "to_tsquery('simple', " + bind(strings.Join(t.words, " <-> ")+":*") + ")"
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
