package lint

import (
	"strings"
	"unicode"
	"unicode/utf8"
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
			for i+n < len(toks) && !toks[i+n-1].poss {
				if c.nameLike(toks[i+n]) {
					n++
					continue
				}
				// "Pieter van der Berg": particles between parts of a name
				k := i + n
				for k < len(toks) && k < i+n+3 && particles[toks[k].text] {
					k++
				}
				if k == i+n || k >= len(toks) || !c.nameLike(toks[k]) {
					break
				}
				n = k - i + 1
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
		start := toks[i].start
		switch {
		case i >= 2 && toks[i-1].text == "." && c.rules.titles[toks[i-2].text]:
			start = toks[i-2].start // "Dr. Sarah O'Neil" goes whole
		case i >= 1 && c.rules.titles[toks[i-1].text]:
			start = toks[i-1].start
		}
		found = append(found, span{start: start, end: toks[i+n-1].end, rule: "pii.name"})
		found[len(found)-1].role = role
		i += n - 1
	}
	return isName, found
}

// rosterMatch matches a roster person's full name, or first name, at toks[i].
func (c *Checker) rosterMatch(toks []token, i int) (int, string) {
	// A login in lower case may be a word ("the carl script"); one with a
	// digit in it (jdoe42) cannot be, and names its person wherever it is.
	lower := toks[i].word && isLower(toks[i].text) &&
		!strings.ContainsAny(toks[i].text, "0123456789")
	if lower && !c.actsAsPerson(toks, i) {
		return 0, "" // a login written as a word: "the carl script"
	}
	for _, p := range c.people {
		if n := matchWords(toks, i, p.words); n > 0 {
			return n, p.Role
		}
		if lower && toks[i].text == strings.ToLower(p.words[0]) {
			return 1, p.Role // a login in lower case: "carl restarted the pod"
		}
	}
	for _, p := range c.people {
		first := p.words[0]
		if len(p.words) > 1 && base(toks[i]) == first && isCapitalised(first) &&
			(!c.rules.wordNames[first] || c.nameStarts(toks, i)) &&
			!c.systemContext(toks, i) {
			return 1, p.Role // "Will" is the roster's Will only where it reads as a name
		}
	}
	return 0, ""
}

// actsAsPerson reports a word in lower case that a roster name in lower
// case (a login) stands for a person: it starts the clause, or follows a
// word that reaches people ("ask carl"), and the next word is a verb in the
// past tense or one that shows a person ("carl forgot", "carl said").
func (c *Checker) actsAsPerson(toks []token, i int) bool {
	t := toks[i]
	if t.covered || t.code || t.quoted {
		return false
	}
	opener := i > 0 && c.rules.starters[toks[i-1].text] && startsClause(toks, i-1) // "Then carl"
	if !startsClause(toks, i) && !opener && !(i > 0 && personPrepositions[toks[i-1].lower]) {
		return false
	}
	if i+1 >= len(toks) {
		return false
	}
	next := toks[i+1]
	if strings.HasSuffix(next.lower, "ly") && i+2 < len(toks) {
		next = toks[i+2]
	}
	return pastTense(next) || c.rules.nameSignals[next.lower] && !c.rules.weakSignals[next.lower] ||
		c.rules.participles[next.lower]
}

// particles are the lower-case words inside names: "van der Berg",
// "Ibn al Haytham".
var particles = map[string]bool{
	"van": true, "von": true, "der": true, "den": true, "de": true, "da": true,
	"di": true, "du": true, "del": true, "della": true, "le": true, "la": true,
	"bin": true, "ibn": true, "al": true, "ter": true, "ten": true,
}

// apostropheName reports a surname such as "O'Neil" or "D'Angelo": one
// capital letter, an apostrophe, and a capitalised word.
func apostropheName(w string) bool {
	w = strings.ReplaceAll(w, "\u2019", "'")
	return len(w) > 3 && w[1] == '\'' && 'A' <= w[0] && w[0] <= 'Z' && isCapitalised(w[2:])
}

// measurement reports a number with a decimal point or a thousands
// separator, after which a capitalised word is a unit.
func measurement(s string) bool {
	return strings.ContainsAny(s, ".,") && s[0] >= '0' && s[0] <= '9' &&
		strings.Trim(s, "0123456789.,") == ""
}

// systemContext reports a first name used as a system's: after an article
// or before a word for a system ("the Jarvis service", "Jarvis queue").
func (c *Checker) systemContext(toks []token, i int) bool {
	if i > 0 && determiners[toks[i-1].lower] && !toks[i].poss {
		return true
	}
	return i+1 < len(toks) && !toks[i].poss && c.systemNoun(toks, i+1)
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
	if !t.word || t.covered || t.code || !isCapitalised(b) && !c.hyphenatedName(b) &&
		!apostropheName(b) {
		return false
	}
	if c.rules.products[b] || c.systems[b] || c.rules.starters[b] || c.rules.titles[b] {
		return false
	}
	if c.isPersonWord(t) || c.rules.systems[t.lower] {
		return false
	}
	l := t.lower
	if k := strings.LastIndexByte(l, '-'); k >= 0 {
		l = l[k+1:] // "Mei-Ling": the suffix test is for the last part
	}
	for _, s := range c.rules.wordSuffixes {
		if strings.HasSuffix(l, s) && len(l) > len(s)+2 {
			return false
		}
	}
	return true
}

// hyphenatedName reports a compound of two capitalised parts, as given
// names are written ("Mei-Ling", "Jean-Pierre"). Compounds with a lower-case
// or upper-case part ("Mark-and-sweep", "US-East") are words and labels.
func (c *Checker) hyphenatedName(w string) bool {
	a, b, ok := strings.Cut(w, "-")
	if !ok || !isCapitalised(a) || !isCapitalised(b) {
		return false
	}
	for _, part := range []string{a, b} {
		l := strings.ToLower(part)
		if c.rules.systems[l] || c.rules.groups[l] || c.rules.people[l] {
			return false // "Chia-Network", "Dev-Team"
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
// of a title or product run, after a determiner or a preposition of place,
// a field label, a label with a number, part of a date, or a contraction.
func (c *Checker) notAName(toks []token, i int) bool {
	b := base(toks[i])
	if c.inTitleRun(toks, i) {
		return true
	}
	prev := prevWord(toks, i)
	if prev >= 0 && !toks[prev].poss && c.titleWord(toks, prev) {
		// "Action Items", "Google Cloud", "AWS Glue", "GitHub Pages": a
		// capitalised word after a capitalised word, an acronym or a product
		// that is not a name belongs to a title or a product's name.
		return true
	}
	if prev >= 0 && prev == i-1 && !toks[i].poss {
		switch l := toks[prev].lower; {
		case determiners[l] || l == "team":
			return true
		case c.rules.placePrepositions[l]:
			// "based in Melbourne", "a call at Acme", but "loop in Priya"
			return !(l == "in" && prev > 0 && c.rules.involveVerbs[toks[prev-1].lower])
		}
	}
	if joinedTitle(toks, i) {
		return true
	}
	if prev >= 0 && measurement(toks[prev].text) {
		return true // a unit after a measurement: "47.5 Hz"
	}
	if i+1 < len(toks) {
		switch next := toks[i+1]; {
		case next.text == ":":
			return true // a field label such as "Time:" or "Attendees:"
		case next.text[0] >= '0' && next.text[0] <= '9':
			return true // a label with a number: "Tier 2", "Release 4.2"
		case c.rules.calendar[base(next)] && !c.rules.calendar[b]:
			return true // part of a date or holiday: "Black Friday"
		case toks[i].poss:
		case c.isProduct(base(next)) || c.isAcronym(next):
			return true // "Hellman Kubernetes", "Express VPN"
		case c.rules.groups[next.lower] || c.systemNoun(toks, i+1):
			return true // "Cloud Engineering", "the Hellman cluster"
		}
	}
	if c.inSystemList(toks, i) {
		return true
	}
	if i+2 < len(toks) && toks[i+1].text == "/" && toks[i+1].start == toks[i].end &&
		toks[i+2].start == toks[i+1].end && toks[i+2].word &&
		unicode.IsLower([]rune(toks[i+2].text)[0]) {
		return true // an owner in a path: "Chia-Network/chia-blockchain"
	}
	if i > 0 && toks[i-1].text == "\\" && toks[i-1].end == toks[i].start ||
		i+1 < len(toks) && toks[i+1].text == "\\" && toks[i+1].start == toks[i].end {
		return true // part of a Windows path, as in \AppData\Local\Temp
	}
	if strings.ContainsAny(b, "'\u2019") && !toks[i].poss && !apostropheName(b) {
		return true // a contraction such as "We've"
	}
	return false
}

// systemNoun reports a noun for a system at toks[j] used as a noun, not
// as a verb with an object: "the Hellman cluster", not "Bob deploy the fix".
func (c *Checker) systemNoun(toks []token, j int) bool {
	t := toks[j]
	if !c.rules.systems[t.lower] && !(strings.HasSuffix(t.lower, "s") &&
		c.rules.systems[strings.TrimSuffix(t.lower, "s")]) {
		return false
	}
	if j+1 < len(toks) {
		l := toks[j+1].lower
		if determiners[l] || l == "it" || l == "them" || l == "him" || l == "her" {
			return false
		}
	}
	return true
}

// inSystemList reports a word in a list ("A, B and C", "A/B") one of whose
// items is a product, an acronym, a system or a word in lower case: such a
// list names things ("Apigee, and Firebase" after "Google Cloud Functions",
// "Console, gcloud, and direct API access").
func (c *Checker) inSystemList(toks []token, i int) bool {
	capital := func(k int) bool {
		return k >= 0 && k < len(toks) && toks[k].word && !toks[k].covered &&
			unicode.IsUpper([]rune(toks[k].text)[0])
	}
	separator := func(k int) bool {
		if k < 0 || k >= len(toks) {
			return false
		}
		switch toks[k].lower {
		case ",", "/", "and", "or", "&":
			return true
		}
		return false
	}
	evidence := func(k int) bool {
		t := toks[k]
		b := base(t)
		return c.isProduct(b) || c.isAcronym(t) || c.isSystemWord(t) ||
			t.lower == t.text && !determiners[t.lower] && !c.isPersonWord(t)
	}
	// Walk the items on each side of the word's own run.
	s, e := i, i
	for capital(s - 1) {
		s--
	}
	for capital(e + 1) {
		e++
	}
	for _, dir := range []int{-1, 1} {
		k := s - 1
		if dir > 0 {
			k = e + 1
		}
		items := 0
		for separator(k) && items < 8 {
			for separator(k) {
				k += dir
			}
			if k < 0 || k >= len(toks) || !toks[k].word || toks[k].covered {
				break
			}
			items++
			if !capital(k) {
				// A single lower-case word between separators is an item
				// ("gcloud"); otherwise the sentence goes on.
				if evidence(k) && separator(k+dir) {
					return true
				}
				break
			}
			thing := false
			for capital(k) {
				if c.isPersonWord(toks[k]) {
					return false // a list of people: "CNI Employee and Justin"
				}
				thing = thing || evidence(k)
				k += dir
			}
			if thing {
				return true
			}
		}
	}
	return false
}

// titleWord reports a word that, before a capitalised word, makes both
// part of one title or product name: a capitalised word that is not a
// title ("Mr") or a word starting the sentence ("Then"), an acronym or a
// product.
func (c *Checker) titleWord(toks []token, j int) bool {
	t := toks[j]
	b := base(t)
	switch {
	case !t.word || c.rules.titles[b] || c.rules.timeWords[t.lower]:
		return false
	case c.isPersonWord(t):
		return false // a role before a name: "Incident Commander Priya"
	case c.rules.starters[b]:
		return !startsClause(toks, j)
	case isCapitalised(b):
		return true
	case strings.Contains(b, "-"):
		// "US-East Region", "IT-Security Team"
		first, _, _ := strings.Cut(b, "-")
		return isCapitalised(first) || c.isAcronym(token{text: first})
	}
	return c.isAcronym(t) || c.isProduct(b)
}

// isAcronym reports an upper-case word of two or more letters, digits
// allowed ("AWS", "EC2"), that is not a time zone.
func (c *Checker) isAcronym(t token) bool {
	letters := 0
	for _, r := range t.text {
		switch {
		case unicode.IsUpper(r):
			letters++
		case unicode.IsDigit(r):
		default:
			return false
		}
	}
	return letters >= 2 && !c.rules.timeWords[t.lower]
}

// isProduct reports a known product or system name, or camel case
// ("GitHub", "DynamoDB"), which is a product's spelling, not a person's.
func (c *Checker) isProduct(w string) bool {
	if c.rules.products[w] || c.systems[w] {
		return true
	}
	r, n := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) {
		return false
	}
	lower, upperAfterLower := false, false
	for _, r := range w[n:] {
		switch {
		case r == '-':
			lower = false // "Mei-Ling" is two capitalised parts, not camel case
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r) && lower:
			upperAfterLower = true
		}
	}
	return upperAfterLower
}

// inTitleRun reports a word in a run of three or more capitalised words
// (not counting those that start the sentence, "Then", "Later"): such a
// run is a title or a product's name ("Interface Message Processor",
// "Service Health Dashboard"), which a person's name seldom is.
func (c *Checker) inTitleRun(toks []token, i int) bool {
	capital := func(k int) bool {
		if k < 0 || k >= len(toks) || !toks[k].word {
			return false
		}
		b := base(toks[k])
		return !c.isPersonWord(toks[k]) &&
			(isCapitalised(b) || c.isAcronym(toks[k]) || c.isProduct(b))
	}
	s, e := i, i
	for capital(s-1) && !toks[s-1].poss {
		s--
	}
	for capital(e+1) && !toks[e].poss {
		e++
	}
	for s < i && c.rules.starters[base(toks[s])] && startsClause(toks, s) {
		s++
	}
	if s > 0 && byPerson[toks[s-1].lower] {
		return false // "shared by Nguyen Thi Mai"
	}
	return e-s+1 >= 3
}

// Words after which a run of capitalised words is someone acting, even a
// long one: "shared by Nguyen Thi Mai".
var byPerson = map[string]bool{
	"by": true, "with": true, "cc": true, "ask": true, "thanks": true, "ping": true,
	"call": true, "contact": true,
}

// joinedTitle reports capitalised words joined by "of", "for" or "&":
// "Trail of Bits", "Point of Sale", "Medicare & Medicaid".
func joinedTitle(toks []token, i int) bool {
	joiner := func(t token) bool {
		return t.lower == "of" || t.lower == "for" || t.text == "&"
	}
	capital := func(k int) bool {
		return k >= 0 && k < len(toks) && toks[k].word && isCapitalised(base(toks[k]))
	}
	return i+2 < len(toks) && joiner(toks[i+1]) && capital(i+2) ||
		i >= 2 && joiner(toks[i-1]) && capital(i-2)
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
		agent := strings.HasSuffix(l, "er") || strings.HasSuffix(l, "or") // "generator"
		if c.rules.systems[l] || c.rules.systems[strings.TrimSuffix(l, "s")] ||
			strings.HasSuffix(l, "bot") || agent && !c.isPersonWord(toks[k]) {
			return true
		}
	}
	return false
}

// startsClause reports a word with only punctuation before it in its
// sentence (a list bullet, a table bar, Markdown emphasis) or only a time
// stamp ("- 09:30 UTC Reports of …"), or right after a colon, a dash or
// a quote.
func startsClause(toks []token, i int) bool {
	j := i - 1
	for j >= 0 && isMarkup(toks[j].text) {
		j-- // "**Status:** Resolved"
	}
	if j >= 0 {
		switch p := toks[j].text; {
		case p == ":" || p == ";" || p == "|" || isOpenQuote(p) || isDash(p):
			return true
		}
	}
	for j := 0; j < i; j++ {
		if toks[j].word && !isStamp(toks[j]) {
			return false
		}
	}
	return true
}

func isMarkup(s string) bool {
	return s == "*" || s == "_" || s == "`" || s == "~"
}

func isDash(s string) bool {
	return s == "-" || s == "\u2013" || s == "\u2014"
}

// isStamp reports a word of a time stamp: a number or date, a month or
// weekday, a time zone or am/pm.
func isStamp(t token) bool {
	if strings.IndexFunc(t.text, unicode.IsLetter) < 0 {
		return true
	}
	return defaultRules.calendar[t.text] || defaultRules.timeWords[t.lower] ||
		strings.HasSuffix(t.lower, "th") && t.text[0] >= '0' && t.text[0] <= '9'
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
