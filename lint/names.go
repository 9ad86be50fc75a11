package lint

import (
	"strings"
)

var determiners = map[string]bool{
	"the": true, "a": true, "an": true, "our": true, "their": true, "its": true,
	"this": true, "that": true, "your": true, "my": true, "these": true, "those": true,
}

// Words before a word-name that show it is a person ("approved by Grant").
var personPrepositions = map[string]bool{
	"by": true, "to": true, "with": true, "from": true, "and": true, ",": true,
	"call": true, "text": true, "ping": true, "contact": true, "cc": true, "ask": true,
}

// names marks the tokens of a sentence that are people's names and returns
// the name runs as spans with the roster role, if any.
func (c *Checker) names(toks []token) (isName []bool, found []span) {
	isName = make([]bool, len(toks))
	heading := len(toks) > 0 && toks[0].text == "#"
	for i := 0; i < len(toks); i++ {
		if heading && len(c.people) == 0 {
			break // Markdown headings are title case; only the roster names people there
		}
		n, role := c.rosterMatch(toks, i)
		if n == 0 && c.nameStarts(toks, i) {
			n = 1
			for i+n < len(toks) && c.nameLike(toks[i+n]) && !toks[i+n-1].poss {
				n++
			}
			if c.rules.orgSuffixes[base(toks[i+n-1])] ||
				i+n < len(toks) && c.rules.orgSuffixes[base(toks[i+n])] {
				i += n // "Acme Corp" is a company
				continue
			}
		}
		if n == 0 {
			continue
		}
		for k := i; k < i+n; k++ {
			isName[k] = true
		}
		found = append(found, span{start: toks[i].start, end: toks[i+n-1].end, rule: "pii.name"})
		found[len(found)-1].role = role
		i += n - 1
	}
	return isName, found
}

// rosterMatch matches a roster person's full name, or first name, at toks[i].
func (c *Checker) rosterMatch(toks []token, i int) (int, string) {
	for _, p := range c.people {
		if n := matchWords(toks, i, p.words); n > 0 {
			return n, p.Role
		}
	}
	for _, p := range c.people {
		first := p.words[0]
		if len(p.words) > 1 && base(toks[i]) == first && isCapitalised(first) &&
			(!c.rules.wordNames[first] || c.nameStarts(toks, i)) {
			return 1, p.Role // "Will" is the roster's Will only where it reads as a name
		}
	}
	return 0, ""
}

func matchWords(toks []token, i int, ws []string) int {
	if len(ws) == 0 || i+len(ws) > len(toks) {
		return 0
	}
	for k, w := range ws {
		if base(toks[i+k]) != w || (k < len(ws)-1 && toks[i+k].poss) {
			return 0
		}
	}
	return len(ws)
}

// base is a token as written, without a possessive "'s".
func base(t token) string {
	if t.poss {
		return t.text[:len(t.text)-2]
	}
	return t.text
}

// nameLike reports whether a token could be part of a name: capitalised,
// not a product, system, role, month or common sentence starter.
func (c *Checker) nameLike(t token) bool {
	b := base(t)
	if !t.word || t.covered || strings.Contains(b, "-") || !isCapitalised(b) {
		return false
	}
	if c.rules.products[b] || c.systems[b] || c.rules.starters[b] || c.rules.titles[b] {
		return false
	}
	if c.isPersonWord(t) || c.rules.systems[t.lower] {
		return false
	}
	l := t.lower
	for _, s := range c.rules.wordSuffixes {
		if strings.HasSuffix(l, s) && len(l) > len(s)+2 {
			return false
		}
	}
	return true
}

// nameStarts decides whether toks[i] begins a name. Mid-sentence name-like
// words are names; at the start of a sentence, and for given names that are
// also words (Will, Mark), the next word must show a person.
func (c *Checker) nameStarts(toks []token, i int) bool {
	t := toks[i]
	b := base(t)
	if !c.nameLike(t) || c.appositiveSystem(toks, i) {
		return false
	}
	prev := prevWord(toks, i)
	if prev >= 0 && c.rules.titles[toks[prev].text] {
		return true
	}
	if c.notAName(toks, i) {
		return false
	}
	initial := startsClause(toks, i)
	if c.rules.calendar[b] {
		// A month or weekday is a name only before a surname ("May Lin").
		return i+1 < len(toks) && c.nameLike(toks[i+1]) && !c.rules.calendar[base(toks[i+1])]
	}
	wordName := c.rules.wordNames[b]
	if !initial && !wordName {
		return true
	}
	if t.poss {
		return true
	}
	if i+1 >= len(toks) {
		return false
	}
	next := toks[i+1]
	switch {
	case c.nameLike(next) && !c.rules.calendar[base(next)]:
		return true
	case next.text == "(":
		return true
	case next.lower == "and":
		return i+2 < len(toks) && c.nameLike(toks[i+2])
	case wordName && !initial && prev >= 0 && personPrepositions[toks[prev].lower]:
		return true
	case c.rules.nameSignals[next.lower]:
		return !c.rules.weakSignals[next.lower]
	}
	if strings.HasSuffix(next.lower, "ly") && i+2 < len(toks) {
		next = toks[i+2] // "Priscilla accidentally dropped"
	}
	return pastTense(next) || c.rules.nameSignals[next.lower] && !c.rules.weakSignals[next.lower]
}

func pastTense(t token) bool {
	return t.word && strings.HasSuffix(t.lower, "ed") && len(t.lower) > 4
}

// notAName reports context that shows a capitalised word is no name: part
// of a title or product run, after a determiner, a field label, a label with
// a number, part of a date, or a contraction.
func (c *Checker) notAName(toks []token, i int) bool {
	b := base(toks[i])
	prev := prevWord(toks, i)
	if prev >= 0 && toks[prev].word && !toks[prev].poss && isCapitalised(base(toks[prev])) &&
		!c.rules.starters[base(toks[prev])] && !c.rules.titles[base(toks[prev])] {
		// "Action Items", "Google Cloud": a capitalised word after a capitalised
		// word that is not a name belongs to a title or a product name.
		return true
	}
	if prev >= 0 && (determiners[toks[prev].lower] || toks[prev].lower == "team") &&
		prev == i-1 {
		return true
	}
	if i+1 < len(toks) {
		switch next := toks[i+1]; {
		case next.text == ":":
			return true // a field label such as "Time:" or "Attendees:"
		case next.text[0] >= '0' && next.text[0] <= '9':
			return true // a label with a number: "Tier 2", "Release 4.2"
		case c.rules.calendar[base(next)] && !c.rules.calendar[b]:
			return true // part of a date or holiday: "Black Friday"
		}
	}
	if strings.ContainsAny(b, "'\u2019") {
		return true // a contraction such as "We've"
	}
	return false
}

// appositiveSystem reports a name followed by ", the batch scheduler," or
// ", our deploy bot": the name is a system's.
func (c *Checker) appositiveSystem(toks []token, i int) bool {
	if i+2 >= len(toks) || toks[i+1].text != "," || !determiners[toks[i+2].lower] {
		return false
	}
	for k := i + 3; k < len(toks) && k < i+8; k++ {
		if toks[k].text == "," || toks[k].text == "." {
			return false
		}
		l := toks[k].lower
		if c.rules.systems[l] || c.rules.systems[strings.TrimSuffix(l, "s")] ||
			strings.HasSuffix(l, "bot") || strings.HasSuffix(l, "er") && !c.isPersonWord(toks[k]) {
			return true
		}
	}
	return false
}

// startsClause reports a word with only punctuation before it in its
// sentence (a list bullet, a table bar), or right after a colon or quote.
func startsClause(toks []token, i int) bool {
	if i > 0 {
		switch p := toks[i-1].text; {
		case p == ":" || p == ";" || p == "|" || isOpenQuote(p):
			return true
		}
	}
	for j := 0; j < i; j++ {
		if toks[j].word && !isListNumber(toks[j].text) {
			return false
		}
	}
	return true
}

func isListNumber(s string) bool {
	return strings.Trim(s, "0123456789") == ""
}

func prevWord(toks []token, i int) int {
	if i > 0 {
		return i - 1
	}
	return -1
}

// isPersonWord reports a word for a person, role or team ("engineers").
func (c *Checker) isPersonWord(t token) bool {
	l := t.lower
	return c.rules.people[l] || strings.HasSuffix(l, "s") && c.rules.people[l[:len(l)-1]]
}
