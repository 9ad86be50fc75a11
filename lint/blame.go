package lint

import (
	"strings"
)

// personTokens marks the tokens that stand for a person: names, personal
// identifiers and words for people, roles and teams.
func (c *Checker) personTokens(toks []token, isName []bool, ids []span) []bool {
	p := make([]bool, len(toks))
	for i, t := range toks {
		p[i] = isName[i] || c.isPersonWord(t) || t.lower == "one" && i > 0 && toks[i-1].lower == "no"
		if t.lower == "who" && i > 0 && toks[i-1].word {
			// "the engineer who forgot", but not "customers who did not update"
			p[i] = p[i-1]
		}
		for _, s := range ids {
			if t.start < s.end && s.start < t.end {
				p[i] = true
			}
		}
	}
	return p
}

// blame runs the blame rules over one sentence.
func (c *Checker) blame(toks []token, person []bool) []span {
	var out []span
	r := c.rules
	add := func(rule string, i, n int) {
		out = append(out, span{start: toks[i].start, end: toks[i+n-1].end, rule: rule})
	}
	for i := range toks {
		if toks[i].quoted || !toks[i].word {
			continue
		}
		if n := matchAny(toks, i, r.labels); n > 0 {
			if !denied(toks, i) {
				add(labelRule(toks, i, n), i, n)
			}
		} else if parts := hyphenParts(toks[i]); parts != nil &&
			matchAny(parts, 0, r.labels) == len(parts) {
			add(labelRule(parts, 0, len(parts)), i, 1) // "a human-error incident"
		}
		if n := matchAny(toks, i, r.judgements); n > 0 && matchAny(toks, i, r.terms) == 0 {
			add("blame.judgement", i, n)
		}
		if n := matchAny(toks, i, r.punitive); n > 0 {
			add("blame.punitive", i, n)
		}
		if n := matchAny(toks, i, r.trivialising); n > 0 {
			add("blame.hindsight", i, n)
		}
		if n := c.trivialised(toks, person, i); n > 0 {
			add("blame.hindsight", i, n)
		}
		if person[i] && toks[i].poss && i+1 < len(toks) && r.faultNouns[toks[i+1].lower] {
			add("blame.person-fault", i, 2)
		}
		if n := c.faultOfPerson(toks, person, i); n > 0 {
			add("blame.person-fault", i, n)
		}
		if toks[i].lower == "by" && i+1 < len(toks) && toks[i+1].lower == "mistake" &&
			c.subjectIsPerson(toks, person, i) {
			add("blame.judgement", i, 2) // "deleted the role by mistake"
		}
		if n := retraining(toks, person, i); n > 0 {
			add("blame.punitive", i, n)
		}
		if n := c.lapse(toks, person, i); n > 0 && !c.explained(toks, person, i+n) {
			add("blame.person-failed", i, n)
		}
		if r.hindsight[toks[i].lower] && c.hindsightAboutPerson(toks, person, i) &&
			c.lapseFollows(toks, i) {
			add("blame.hindsight", i, 1)
		}
		if r.conductWords[toks[i].lower] &&
			(c.hindsightAboutPerson(toks, person, i) || c.selfSubject(toks, i)) {
			add("blame.judgement", i, 1)
		}
		if r.defiance[toks[i].lower] && c.subjectIsPerson(toks, person, i) &&
			c.wasWarned(toks, i) {
			add("blame.person-failed", i, 1)
		}
		if n := c.counterfactual(toks, person, i); n > 0 {
			add("blame.counterfactual", i, n)
		}
	}
	return out
}

// hyphenParts returns the words of a hyphenated token as tokens of their
// own, or nil for a token without a hyphen.
func hyphenParts(t token) []token {
	if !strings.Contains(t.lower, "-") {
		return nil
	}
	var out []token
	for _, w := range strings.Split(t.lower, "-") {
		out = append(out, token{text: w, lower: w, word: w != ""})
	}
	return out
}

func labelRule(toks []token, i, n int) string {
	if n == 2 && toks[i+1].lower == "error" {
		return "blame.human-error"
	}
	return "blame.fault-label"
}

// lapse matches a failure whose clause has a person as its subject: a
// failure verb, a negated verb ("didn't read"), or "without review".
func (c *Checker) lapse(toks []token, person []bool, i int) int {
	r := c.rules
	if n := matchAny(toks, i, r.failures); n > 0 &&
		(c.subjectIsPerson(toks, person, i) || c.selfSubject(toks, i)) &&
		!adjectival(toks, i, n) && !(n == 1 && passive(toks, i)) {
		return n
	}
	if n := matchAny(toks, i, r.negFailures); n > 0 && c.negativeSubject(toks, i) {
		return n
	}
	if n := c.negatedVerb(toks, i); n > 0 && !c.reported(toks, i) {
		// "Raj not reading the notes": the person right before a negated
		// gerund is its subject, whatever the clause is about.
		gerund := toks[i].lower == "not" && i > 0 && person[i-1]
		if gerund || c.subjectIsPerson(toks, person, i) {
			return n
		}
	}
	l := toks[i].lower
	if l == "without" && i+1 < len(toks) && c.subjectIsPerson(toks, person, i) {
		next := toks[i+1].lower
		if r.withoutObjects[next] || strings.HasSuffix(next, "ing") && len(next) > 5 {
			return 2
		}
	}
	return 0
}

// trivialised matches "a simple grep would have …" and, with a person as
// the subject, "simply needed to …": words that make the work sound easy
// in hindsight.
func (c *Checker) trivialised(toks []token, person []bool, i int) int {
	r := c.rules
	at := func(k int) string {
		if k < len(toks) && !toks[k].quoted {
			return toks[k].lower
		}
		return ""
	}
	if (at(i) == "a" || at(i) == "an") && r.easyWords[at(i+1)] && toks[min(i+2, len(toks)-1)].word &&
		r.modals[at(i+3)] && at(i+4) == "have" {
		return 5
	}
	if r.minimising[at(i)] && r.needing[at(i+1)] && at(i+2) == "to" &&
		!c.subjectIsSystem(toks, person, i) {
		return 3
	}
	return 0
}

// adjectival reports a one-word failure used as an adjective, after an
// article or a preposition: "due to misconfigured settings", "a missed
// page". It describes a thing, not what the subject did.
func adjectival(toks []token, i, n int) bool {
	if n != 1 || i == 0 || !strings.HasSuffix(toks[i].lower, "ed") {
		return false
	}
	switch l := toks[i-1].lower; {
	case determiners[l]:
		return true
	case l == "to" || l == "of" || l == "with" || l == "by" || l == "from" ||
		l == "for" || l == "in" || l == "on" || l == "after" || l == "any":
		return true
	}
	return false
}

// passive reports a failure participle after a form of be, adverbs
// between allowed: "concerns were reportedly dismissed" says what was done
// to something, not what the subject did.
func passive(toks []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		l := toks[j].lower
		if isBe(l) || l == "got" || l == "get" {
			return strings.HasSuffix(toks[i].lower, "ed")
		}
		if !strings.HasSuffix(l, "ly") {
			return false
		}
	}
	return false
}

// reported reports a negated act in a clause that reports what someone
// said: "confirmed that he did not suspend the account" states a fact.
func (c *Checker) reported(toks []token, i int) bool {
	for j := i - 1; j > 0 && j >= i-6; j-- {
		if toks[j].lower == "that" {
			return c.rules.reportingVerbs[toks[j-1].lower] ||
				j > 1 && c.rules.reportingVerbs[toks[j-2].lower] // "told them that"
		}
		if !toks[j].word {
			return false
		}
	}
	return false
}

// wasWarned reports a word of warning before toks[i] in its sentence:
// "was told twice not to restart it, and did it anyway".
func (c *Checker) wasWarned(toks []token, i int) bool {
	for j := 0; j < i; j++ {
		if c.rules.warned[toks[j].lower] {
			return true
		}
	}
	return false
}

// explained reports a "because" clause after toks[from] whose subject is
// not a person: the sentence already gives the system's part in the lapse.
func (c *Checker) explained(toks []token, person []bool, from int) bool {
	for j := from; j < len(toks); j++ {
		if !c.rules.explainedBy[toks[j].lower] {
			continue
		}
		if l := toks[j].lower; (l == "as" || l == "since") && !clauseHasVerb(toks, j+1) {
			return false // "as usual", "as noise", "since Monday": no cause is given
		}
		for k := j + 1; k < len(toks) && k < j+4; k++ {
			if person[k] {
				return false
			}
			if toks[k].word && !determiners[toks[k].lower] {
				return true
			}
		}
		return false
	}
	return false
}

// clauseHasVerb reports a verb among the words from toks[from] to the next
// punctuation: a form of be, have or do, a modal, or a past tense. "As" and
// "since" give a cause only with a clause ("as the phone was silent").
func clauseHasVerb(toks []token, from int) bool {
	for k := from; k < len(toks) && toks[k].word; k++ {
		switch l := toks[k].lower; {
		case isBe(l), l == "had", l == "has", l == "have", l == "did", l == "does",
			strings.HasSuffix(l, "n't"), pastTense(toks[k]):
			return true
		}
	}
	return false
}

// lapseFollows reports a negation, a modal or a failure soon after a
// hindsight adverb: "obviously didn't test", "clearly never looked".
func (c *Checker) lapseFollows(toks []token, i int) bool {
	for j := i + 1; j < len(toks) && j < i+8; j++ {
		l := toks[j].lower
		if l == "." || l == ";" {
			return false
		}
		if c.rules.negations[l] || c.rules.modals[l] || l == "nobody" || l == "did" ||
			matchAny(toks, j, c.rules.failures) > 0 {
			return true
		}
	}
	return false
}

// negatedVerb matches "didn't VERB", "did not VERB", "never VERB" and
// "not VERB-ing", but not a lack ("did not have") or a passive ("was never
// paged"), which describe the situation rather than a lapse.
func (c *Checker) negatedVerb(toks []token, i int) int {
	l := toks[i].lower
	n := 1
	switch {
	case l == "did" && i+1 < len(toks) && toks[i+1].lower == "not":
		n = 2
	case l == "didn't" || l == "never":
	case l == "not":
		if i+1 >= len(toks) || !strings.HasSuffix(toks[i+1].lower, "ing") {
			return 0
		}
		if i > 0 && (toks[i-1].lower == "did" || isBe(toks[i-1].lower)) {
			return 0
		}
	default:
		return 0
	}
	if i > 0 && isBe(toks[i-1].lower) {
		return 0
	}
	if i+n >= len(toks) || !toks[i+n].word || c.rules.neutralAfterNeg[toks[i+n].lower] {
		return 0
	}
	return n + 1
}

// thoughtVerbs open a clause of what someone believed, whose own subject
// does what follows: "who believed Firefox ignored the header".
var thoughtVerbs = map[string]bool{
	"believed": true, "thought": true, "assumed": true, "expected": true,
	"presumed": true, "figured": true, "supposed": true,
}

func isBe(w string) bool {
	switch w {
	case "was", "were", "is", "are", "be", "been", "being":
		return true
	}
	return false
}

// clauseStart is the index of the first token of the clause holding toks[i].
func (c *Checker) clauseStart(toks []token, i int) int {
	for j := i - 1; j >= 0; j-- {
		switch toks[j].text {
		case ":":
			if !(j > 0 && toks[j-1].end == toks[j].start && j+1 < len(toks) &&
				toks[j+1].start == toks[j].end) {
				return j + 1 // a colon inside "16:00" ends nothing
			}
		case ";", ".", "!", "?", "(", ")":
			return j + 1
		}
		if matchAny(toks, j, c.rules.clauseBreaks) > 0 && !toks[j].quoted ||
			thoughtVerbs[toks[j].lower] && j+1 < i {
			return j + 1 // "believed Firefox ignored it": Firefox ignored it
		}
	}
	return 0
}

// subjectIsPerson reports whether the first person-or-system word of the
// clause before toks[i] is a person. A possessive ("the engineer's script")
// names the owner, not the subject, and is skipped.
func (c *Checker) subjectIsPerson(toks []token, person []bool, i int) bool {
	return c.subjectFrom(toks, person, c.clauseStart(toks, i), i)
}

// subjectFrom is subjectIsPerson for the clause toks[start:i].
func (c *Checker) subjectFrom(toks []token, person []bool, start, i int) bool {
	if gerundSubject(toks, start, i) {
		return false // "Appointing an incident manager could have helped"
	}
	for j := start; j < i; j++ {
		t := toks[j]
		if !t.word || t.quoted {
			continue
		}
		if t.poss {
			continue
		}
		if person[j] {
			return true
		}
		if c.isSystemWord(t) && !modifiesPerson(toks, person, j) {
			return false
		}
	}
	if start > 0 && toks[start-1].lower == "but" && !clauseHasWord(toks, start, i) {
		// "set the variable but failed to send it": the subject left out
		// after "but" is the one before it.
		// The subject is the main clause's, not that of a clause of what
		// someone believed ("believed the job had run but forgot").
		from := c.clauseStart(toks, start-1)
		for from > 0 && thoughtVerbs[toks[from-1].lower] {
			from = c.clauseStart(toks, from-1)
		}
		return c.subjectFrom(toks, person, from, start-1)
	}
	return false
}

// clauseHasWord reports a word between toks[from] and toks[to].
func clauseHasWord(toks []token, from, to int) bool {
	for j := from; j < to; j++ {
		if toks[j].word && !strings.HasSuffix(toks[j].lower, "ly") {
			return true
		}
	}
	return false
}

// selfSubject reports a clause whose subject is "we" or "I", right before
// the verb (an adverb between): the blameless review of a team's own
// lapse asks what allowed it, as of anyone's.
func (c *Checker) selfSubject(toks []token, i int) bool {
	j := i - 1
	if j >= 0 && strings.HasSuffix(toks[j].lower, "ly") {
		j--
	}
	return j >= 0 && (toks[j].lower == "we" || toks[j].lower == "i") &&
		j == c.clauseStart(toks, i)
}

// denied reports a label that the sentence denies before it: "this was not
// human error", "we do not believe it was human error".
func denied(toks []token, i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch l := toks[j].lower; {
		case l == "," || l == ";" || l == ":" || l == "." || l == "but":
			return false
		case l == "not" || l == "no" || l == "never" || strings.HasSuffix(l, "n't"):
			return true
		}
	}
	return false
}

// faultOfPerson matches a fault a person made: "the SRE made a mistake",
// "a typo by the operator".
func (c *Checker) faultOfPerson(toks []token, person []bool, i int) int {
	at := func(k int) string {
		if k < len(toks) {
			return toks[k].lower
		}
		return ""
	}
	switch l := at(i); {
	case (l == "made" || l == "make" || l == "makes") && (at(i+1) == "a" || at(i+1) == "an") &&
		c.rules.faultNouns[at(i+2)] && c.subjectIsPerson(toks, person, i):
		return 3
	case c.rules.faultNouns[l] && at(i+1) == "by":
		k := i + 2
		if determiners[at(k)] {
			k++
		}
		if k < len(toks) && person[k] {
			return k + 1 - i
		}
	}
	return 0
}

// retraining matches retraining aimed at a person: "retrain the
// operator", but not "retrain the model".
func retraining(toks []token, person []bool, i int) int {
	switch toks[i].lower {
	case "retrain", "retrained", "retraining", "re-train":
	default:
		return 0
	}
	for k := i + 1; k < len(toks) && k <= i+3; k++ {
		if person[k] {
			return k + 1 - i
		}
		if !toks[k].word || !determiners[toks[k].lower] && k > i+1 {
			return 0
		}
	}
	return 0
}

// subjectIsSystem reports whether the first person-or-system word of the
// clause before toks[i] is a system: "the cluster just needed to warm up".
func (c *Checker) subjectIsSystem(toks []token, person []bool, i int) bool {
	for j := c.clauseStart(toks, i); j < i; j++ {
		t := toks[j]
		if !t.word || t.quoted || t.poss {
			continue
		}
		if person[j] {
			return false
		}
		if c.isSystemWord(t) && !modifiesPerson(toks, person, j) {
			return true
		}
	}
	return false
}

// gerundSubject reports a clause that opens with a verb in -ing, whose
// subject is the activity, not the person it names.
func gerundSubject(toks []token, start, i int) bool {
	for j := start; j < i; j++ {
		if toks[j].word {
			return strings.HasSuffix(toks[j].lower, "ing") && len(toks[j].lower) > 5
		}
	}
	return false
}

// modifiesPerson reports a noun used as a modifier of a following person
// word: "release" in "the release manager".
func modifiesPerson(toks []token, person []bool, j int) bool {
	for k := j + 1; k < len(toks) && k < j+3; k++ {
		if person[k] {
			return true
		}
		if !toks[k].word {
			return false
		}
	}
	return false
}

func (c *Checker) negativeSubject(toks []token, i int) bool {
	for j := c.clauseStart(toks, i); j < i; j++ {
		if matchAny(toks, j, c.rules.negSubjects) > 0 {
			return true
		}
	}
	return false
}

func (c *Checker) isSystemWord(t token) bool {
	l := t.lower
	return c.rules.systems[l] || strings.HasSuffix(l, "s") && c.rules.systems[l[:len(l)-1]] ||
		c.rules.products[base(t)] || c.systems[base(t)]
}

// hindsightAboutPerson reports "obviously"/"clearly" in a clause whose
// subject is a person, before the adverb or, when the adverb opens the
// clause ("Clearly the engineer …"), just after it.
func (c *Checker) hindsightAboutPerson(toks []token, person []bool, i int) bool {
	if c.subjectIsPerson(toks, person, i) {
		return true
	}
	start := c.clauseStart(toks, i)
	for j := start; j < i; j++ {
		if toks[j].word {
			return false
		}
	}
	for j := i + 1; j < len(toks) && j < i+6; j++ {
		if !toks[j].word || toks[j].poss {
			continue
		}
		if person[j] {
			return true
		}
		if c.isSystemWord(toks[j]) {
			return false
		}
	}
	return false
}

// counterfactual matches "should have checked", "ought to have known" or
// "if the engineer had just run" where the subject is a person.
func (c *Checker) counterfactual(toks []token, person []bool, i int) int {
	l := toks[i].lower
	if m, ok := strings.CutSuffix(l, "'ve"); ok && c.rules.modals[m] {
		// "should've caught": the modal and "have" in one word
		if i+1 < len(toks) && c.isParticiple(toks[i+1]) && c.subjectIsPerson(toks, person, i) {
			return 2
		}
		return 0
	}
	if c.rules.modals[l] {
		j := i + 1
		for j < len(toks) && (toks[j].lower == "not" || toks[j].lower == "to") {
			j++
		}
		passive := j+2 < len(toks) && toks[j+1].lower == "been" && c.isParticiple(toks[j+2])
		if j+1 < len(toks) && toks[j].lower == "have" && c.isParticiple(toks[j+1]) &&
			!passive && c.subjectIsPerson(toks, person, i) {
			return j + 2 - i
		}
		return 0
	}
	if !c.rules.cfIf[l] || l == "had" && i != 0 {
		return 0
	}
	sawPerson := false
	for j := i + 1; j < len(toks) && j < i+10; j++ {
		t := toks[j]
		if t.text == "," || t.text == ";" {
			return 0
		}
		if person[j] && !t.poss {
			sawPerson = true
		}
		if t.lower == "had" || l == "had" && sawPerson {
			k := j + 1
			if l == "had" {
				k = j
			}
			for k < len(toks) && c.rules.cfAdverbs[toks[k].lower] {
				k++
			}
			if sawPerson && k < len(toks) && c.isParticiple(toks[k]) {
				return k + 1 - i
			}
			if t.lower == "had" {
				return 0
			}
		}
	}
	return 0
}

func (c *Checker) isParticiple(t token) bool {
	return strings.HasSuffix(t.lower, "ed") && len(t.lower) > 3 || c.rules.participles[t.lower]
}

// matchAny returns the length of the first phrase that matches at toks[i].
func matchAny(toks []token, i int, pl phraseList) int {
	for _, p := range pl[toks[i].lower] {
		if i+len(p) > len(toks) {
			continue
		}
		ok := true
		for k, w := range p {
			t := toks[i+k]
			if t.lower != w || t.quoted || k < len(p)-1 && t.poss {
				ok = false
				break
			}
		}
		if ok {
			return len(p)
		}
	}
	return 0
}
