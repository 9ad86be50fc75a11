package lint

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/sentences"
	"github.com/clipperhouse/uax29/v2/words"
)

// token is one word or punctuation mark of a sentence, with byte offsets
// into the checked text.
type token struct {
	text       string // as written, hyphenated compounds joined
	lower      string // lower case, curly apostrophe straightened, "'s" removed
	start, end int
	word       bool // has a letter or digit
	poss       bool // ended in "'s"
	quoted     bool // inside quotation marks: mentioned, not used
	code       bool // inside `code`: a literal, never a name
	covered    bool // part of an e-mail, handle or URL
}

// sentenceSpans splits text into sentences with the UAX #29 rules, then joins
// a sentence that ends in a title abbreviation ("Ms.") with the next one.
// A line break ends a sentence only where it ends a block (a heading, list
// item, table row, paragraph) or a sentence; a paragraph wrapped at a
// fixed width ("caused by human\nerror") is read as one text.
func sentenceSpans(text string, r *rules) [][2]int {
	var out [][2]int
	join := false // the last span ended in a wrapped line: the next continues it
	it := sentences.FromString(text)
	for it.Next() {
		s, e := it.Start(), it.End()
		if n := len(out); n > 0 && (join || endsWithTitle(text[out[n-1][0]:out[n-1][1]], r) &&
			!strings.Contains(text[out[n-1][0]:out[n-1][1]], "\n")) {
			out[n-1][1] = e
			s = out[n-1][0]
			out = out[:n-1]
		}
		// A line break also ends a sentence: headings, list items and
		// table rows of a report carry no full stop.
		from := s
		for {
			nl := strings.IndexByte(text[from:e], '\n')
			if nl < 0 || from+nl+1 >= e {
				break
			}
			from += nl + 1
			if softBreak(text, from-1) {
				continue
			}
			out = append(out, [2]int{s, from})
			s = from
		}
		out = append(out, [2]int{s, e})
		join = e > 0 && text[e-1] == '\n' && softBreak(text, e-1)
	}
	return capSentences(text, out)
}

// maxSentence bounds a sentence in bytes. Several rules look back over
// the sentence from each word, which is quick for prose but takes time in
// the square of a megabyte-long table row or run-on text: such a text is
// read in pieces, cut at a table bar or a space.
const maxSentence = 2048

func capSentences(text string, spans [][2]int) [][2]int {
	long := false
	for _, se := range spans {
		long = long || se[1]-se[0] > maxSentence
	}
	if !long {
		return spans
	}
	out := make([][2]int, 0, len(spans))
	for _, se := range spans {
		s, e := se[0], se[1]
		for e-s > maxSentence {
			cut := s + strings.LastIndexAny(text[s:s+maxSentence], "| \t")
			if cut <= s {
				cut = s + maxSentence
				for cut > s && !utf8.RuneStart(text[cut]) {
					cut-- // never inside a character
				}
			}
			if cut <= s {
				cut = s + maxSentence
			}
			out = append(out, [2]int{s, cut})
			s = cut
		}
		out = append(out, [2]int{s, e})
	}
	return out
}

// softBreak reports whether the line break at text[nl] wraps a paragraph
// rather than ending a block: both lines hold text, the first ends no
// sentence and is no heading or table row, and the second starts no block
// (heading, list item, quote, table row, fence, rule).
func softBreak(text string, nl int) bool {
	before := text[strings.LastIndexByte(text[:nl], '\n')+1 : nl]
	after := text[nl+1:]
	if k := strings.IndexByte(after, '\n'); k >= 0 {
		after = after[:k]
	}
	b := strings.TrimSpace(before)
	a := strings.TrimSpace(after)
	if b == "" || a == "" || strings.HasPrefix(b, "#") || strings.HasPrefix(b, "|") ||
		strings.HasPrefix(b, "```") || strings.HasPrefix(b, "~~~") || strings.HasPrefix(b, "<!--") {
		return false
	}
	switch b[len(b)-1] {
	case '.', '!', '?', ':', ';', '|', '>':
		return false
	}
	if strings.Trim(b, "-=*_ ") == "" || strings.Trim(a, "-=*_ ") == "" {
		return false // a rule or a setext underline
	}
	switch a[0] {
	case '#', '|', '>', '`', '~', '<':
		return false
	case '-', '*', '+':
		return !(len(a) > 1 && (a[1] == ' ' || a[1] == '\t'))
	}
	if k := strings.IndexFunc(a, func(r rune) bool { return r < '0' || r > '9' }); k > 0 &&
		(a[k] == '.' || a[k] == ')') {
		return false // a numbered list item
	}
	if strings.Contains(b, ": ") && strings.Contains(a, ": ") {
		return false // "key: value" lines of front matter or a field list
	}
	return true
}

func endsWithTitle(s string, r *rules) bool {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	if !strings.HasSuffix(s, ".") {
		return false
	}
	s = s[:len(s)-1]
	i := strings.LastIndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	return r.titles[s[i+1:]]
}

// tokenize splits one sentence (text[s:e]) into words with the UAX #29 rules,
// joining hyphenated compounds ("just-in-time") into one token so that their
// parts are never read as words of their own.
func tokenize(text string, s, e int) []token {
	toks := make([]token, 0, (e-s)/3+4)
	it := words.FromString(text[s:e])
	for it.Next() {
		v := it.Value()
		r, _ := utf8.DecodeRuneInString(v)
		if unicode.IsSpace(r) {
			toks = append(toks, token{text: " ", start: s + it.Start(), end: s + it.End()})
			continue
		}
		t := token{text: v, start: s + it.Start(), end: s + it.End()}
		t.word = strings.IndexFunc(v, func(r rune) bool {
			return unicode.IsLetter(r) || unicode.IsDigit(r)
		}) >= 0
		toks = append(toks, t)
	}
	toks = joinHyphens(text, toks)
	out := toks[:0]
	for _, t := range toks {
		if t.text == " " {
			continue
		}
		normalise(&t)
		out = append(out, t)
	}
	markQuotes(out)
	return out
}

// joinHyphens merges word-hyphen-word runs written without spaces.
func joinHyphens(text string, toks []token) []token {
	out := toks[:0] // in place: a joined token never outruns the reading
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		for t.word && i+2 < len(toks) && toks[i+1].text == "-" && toks[i+2].word &&
			toks[i+1].start == t.end && toks[i+2].start == toks[i+1].end {
			t.end = toks[i+2].end
			t.text = text[t.start:t.end] // the parts touch, so this is their join
			i += 2
		}
		out = append(out, t)
	}
	return out
}

func normalise(t *token) {
	l := t.text
	if strings.Contains(l, "\u2019") {
		l = strings.ReplaceAll(l, "\u2019", "'")
	}
	l = strings.ToLower(l)
	if strings.HasSuffix(l, "'s") && len(l) > 2 {
		l = l[:len(l)-2]
		t.poss = true
	}
	t.lower = l
}

// markQuotes marks tokens between paired quotation marks, and between
// paired backticks as code. A lone "'" inside a word is part of that word
// and never reaches here.
func markQuotes(toks []token) {
	ticks := 0
	for _, t := range toks {
		if t.text == "`" {
			ticks++
		}
	}
	open, code := "", false
	for i := range toks {
		q := toks[i].text
		if q == "`" && (code || ticks >= 2) {
			// Backticks pair up; a lone last one opens nothing.
			code = !code
			ticks--
			continue
		}
		if code {
			toks[i].code, toks[i].quoted = true, true
			continue
		}
		switch {
		case open == "" && isOpenQuote(q):
			open = q
		case open != "" && closes(open, q):
			open = ""
		case open != "":
			toks[i].quoted = true
		}
	}
}

func isOpenQuote(q string) bool {
	return q == "'" || q == "\"" || q == "\u2018" || q == "\u201c"
}

func closes(open, q string) bool {
	switch open {
	case "\u2018":
		return q == "\u2019"
	case "\u201c":
		return q == "\u201d"
	}
	return q == open
}

// isCapitalised reports whether w starts with an upper-case letter and has
// a lower-case letter after it, all letters (an apostrophe is allowed).
func isCapitalised(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) || len(w) < 2 {
		return false
	}
	lower := false
	for _, c := range w[n:] {
		switch {
		case unicode.IsLower(c):
			lower = true
		case unicode.IsUpper(c):
			return false // camel case and acronyms are product names
		case c == '\'' || c == '\u2019':
		default:
			return false
		}
	}
	return lower
}
