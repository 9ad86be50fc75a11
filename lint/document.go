package lint

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A whole report says more about its capitalised words than one sentence
// does: a word the report also writes in lower case ("Candidate",
// "candidate"), puts after an article ("the Chia blockchain") or uses in a
// heading is a thing the report talks about, not a person. DocumentSystems
// collects such words, for the caller to pass as Roster.Systems when it
// checks the report's text.

// articles are the words after which a capitalised word is a thing: "the
// Chia blockchain", "a Discord server", "our Foliage service".
var articles = map[string]bool{
	"the": true, "a": true, "an": true, "our": true, "their": true, "its": true,
	"this": true, "that": true, "these": true, "those": true,
}

// docWord is a word of a document: a letter, then letters, digits and
// apostrophes.
type docWord struct {
	text       string
	start, end int
}

// docWords splits s into words, in order. It is the scanner behind
// DocumentSystems, which reads every report whole: a loop, not regular
// expressions, keeps that fast.
func docWords(s string) []docWord {
	var out []docWord
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '\u2019' {
				break
			}
			j += n
		}
		out = append(out, docWord{s[i:j], i, j})
		i = j
	}
	return out
}

// DocumentSystems returns the capitalised words of text that the text
// itself shows are not people's names: written in lower case elsewhere
// (as they are or in another form of the same word: "Pods" and "pod",
// "Deployed" and "deploy"), after an article, in a Markdown heading or in
// a table's header row. Roster names are not returned; the checker matches
// those first.
func DocumentSystems(text string) []string {
	words := docWords(text)
	lower := make(map[string]bool, len(words)/2)
	code, web := codeRanges(text), mergeRanges(urls(text), nil)
	for _, w := range words {
		// A word of a web address or a domain names an organisation or a
		// product ("zerodha.com"); other identifiers may be a person's.
		if isLower(w.text) && (inRanges(web, w.start) || domainLabel(text, w) ||
			plainWord(text, w) && !inRanges(code, w.start)) {
			lower[w.text] = true
		}
	}
	// alone counts the capitalised words written without the word before
	// them that they follow elsewhere: a surname seldom is.
	alone := map[string]int{}
	for k, w := range words {
		if isCapitalised(w.text) {
			alone[w.text]++
			if k > 0 && text[words[k-1].end:w.start] == " " {
				alone[words[k-1].text+" "+w.text]++
			}
		}
	}
	seen := map[string]bool{}
	var out []string
	add := func(w string) {
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		if w != "" && !seen[w] && isCapitalised(w) {
			seen[w] = true
			out = append(out, w)
		}
	}
	for k, w := range words {
		// Given names that are also words (Will, Mark) are written in
		// lower case as words; that says nothing of the name.
		t := strings.TrimSuffix(strings.TrimSuffix(w.text, "'s"), "’s")
		l := strings.ToLower(t)
		if t != l && !defaultRules.wordNames[t] && anyForm(lower, l) &&
			!fullName(text, words, k, lower, alone) {
			add(t)
		}
		if k > 0 && articles[strings.ToLower(words[k-1].text)] &&
			strings.TrimSpace(text[words[k-1].end:w.start]) == "" {
			if r, _ := utf8.DecodeRuneInString(w.text); unicode.IsUpper(r) {
				add(w.text)
			}
		}
	}
	for _, line := range labelLines(text) {
		for _, w := range docWords(line) {
			add(w.text)
		}
	}
	return out
}

// plainWord reports a word written as a word of a sentence: not part of an
// e-mail address, a handle, a path, a file name or a hyphenated compound
// ("priya@example.com", "@priya", "/home/priya", "priya-exporter"), which
// are identifiers and say nothing of whether the word is a common one.
func plainWord(text string, w docWord) bool {
	if w.start > 0 && strings.IndexByte("@/\\-_.:~", text[w.start-1]) >= 0 {
		return false
	}
	if w.end < len(text) {
		switch b := text[w.end]; b {
		case '@', '/', '\\', '-', '_':
			return false
		case '.':
			return !(w.end+1 < len(text) && isWordByte(text[w.end+1]))
		}
	}
	return true
}

// domainLabel reports a word that is a label of a domain name, followed
// by a dot and more labels ("zerodha.com"), and not an e-mail's local part.
func domainLabel(text string, w docWord) bool {
	if w.end+1 >= len(text) || text[w.end] != '.' || !isLowerByte(text[w.end+1]) {
		return false
	}
	e := w.end + 1
	for e < len(text) && (isLowerByte(text[e]) || text[e] == '.' || text[e] == '-') {
		e++
	}
	host := strings.TrimRight(text[w.start:e], ".")
	tld := host[strings.LastIndexByte(host, '.')+1:]
	return topLevel[tld] && (e >= len(text) || text[e] != '@')
}

// topLevel are common top-level domains: "carl.sh" is a file, "zerodha.com"
// a company.
var topLevel = map[string]bool{
	"com": true, "org": true, "net": true, "io": true, "dev": true, "co": true, "uk": true,
	"de": true, "fr": true, "eu": true, "us": true, "in": true, "jp": true, "app": true,
	"ai": true, "cloud": true, "gov": true, "edu": true, "info": true,
}

func isLowerByte(b byte) bool { return 'a' <= b && b <= 'z' }

// fullName reports a capitalised word followed, after one space, by a
// capitalised word that the report never writes in lower case nor without
// the first: "Priya Raman" reads as a person's full name even where the
// report also writes "ask priya", but "Used Dagster" where it writes
// "into Dagster" does not. counts holds how often each capitalised word
// and each pair of them occurs.
func fullName(text string, words []docWord, k int, lower map[string]bool,
	counts map[string]int) bool {
	if k+1 >= len(words) || text[words[k].end:words[k+1].start] != " " {
		return false
	}
	next := words[k+1].text
	return isCapitalised(next) && !anyForm(lower, strings.ToLower(next)) &&
		counts[next] == counts[words[k].text+" "+next]
}

// codeRanges returns the byte ranges of fenced code blocks and inline
// code spans of a Markdown text, sorted: words in code are literals.
func codeRanges(text string) [][2]int {
	var out [][2]int
	fence := -1
	for at := 0; at < len(text); {
		end := strings.IndexByte(text[at:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += at
		}
		line := strings.TrimLeft(text[at:end], " ")
		isFence := strings.HasPrefix(line, "```") || strings.HasPrefix(line, "~~~")
		switch {
		case fence >= 0 && isFence:
			out = append(out, [2]int{fence, end})
			fence = -1
		case fence >= 0:
		case isFence:
			fence = at
		default:
			open := -1
			for i := at; i < end; i++ {
				if text[i] != '`' {
					continue
				}
				if open < 0 {
					open = i
				} else {
					out = append(out, [2]int{open, i + 1})
					open = -1
				}
			}
		}
		at = end + 1
	}
	if fence >= 0 {
		out = append(out, [2]int{fence, len(text)})
	}
	return out
}

// labelLines returns the Markdown headings of text and the header rows of
// its tables (the row above a delimiter row of dashes): lines of labels.
func labelLines(text string) []string {
	var out []string
	prev := ""
	for rest := text; rest != ""; {
		line := rest
		if k := strings.IndexByte(rest, '\n'); k >= 0 {
			line, rest = rest[:k], rest[k+1:]
		} else {
			rest = ""
		}
		if h := strings.TrimLeft(line, " "); len(line)-len(h) <= 3 && strings.HasPrefix(h, "#") {
			t := strings.TrimLeft(h, "#")
			if len(h)-len(t) <= 6 && (t == "" || t[0] == ' ' || t[0] == '\t') {
				out = append(out, t)
			}
		}
		if delimiterRow(line) && strings.Contains(prev, "|") {
			out = append(out, prev)
		}
		prev = line
	}
	return out
}

// delimiterRow reports a Markdown table's delimiter row: "|---|:--:|".
func delimiterRow(line string) bool {
	t := strings.TrimSpace(line)
	t = strings.TrimPrefix(t, "|")
	t = strings.TrimLeft(t, " \t:")
	dashes := len(t) - len(strings.TrimLeft(t, "-"))
	if dashes < 3 {
		return false
	}
	t = strings.TrimLeft(t[dashes:], " \t:")
	return strings.HasPrefix(t, "|")
}

// wordForms returns a lower-case word and the stems it may be an
// inflection of: "pods" gives "pod", "deployed" gives "deploy", "caused"
// gives "cause" and "caus".
func wordForms(w string) []string {
	out := make([]string, 1, 8)
	out[0] = w
	for _, suf := range inflections {
		if stem, ok := strings.CutSuffix(w, suf); ok && len(stem) >= 3 {
			out = append(out, stem)
		}
	}
	return out
}

// inflections are the endings wordForms strips.
var inflections = []string{"s", "es", "ed", "d", "ing", "ment", "ments"}

// anyForm reports whether set holds a lower-case word or another form of
// it: the word, a stem of it, or a stem with an ending ("pods" for
// "Pod", "deployment" for "Deployed").
func anyForm(set map[string]bool, w string) bool {
	var buf [64]byte
	for _, f := range wordForms(w) {
		if set[f] {
			return true
		}
		for _, suf := range inflections {
			if len(f) < 3 || len(f)+len(suf) > len(buf) {
				continue // wordForms keeps stems of three letters or more
			}
			n := copy(buf[:], f)
			n += copy(buf[n:], suf)
			if set[string(buf[:n])] { // the conversion in a lookup does not allocate
				return true
			}
		}
	}
	return false
}

// isLower reports a word with no upper-case letter.
func isLower(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			return false
		}
		if c >= utf8.RuneSelf {
			return w == strings.ToLower(w)
		}
	}
	return true
}
