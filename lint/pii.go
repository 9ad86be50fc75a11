package lint

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	emailRE = regexp.MustCompile(
		`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	// Phone numbers: international with a leading +, North American
	// shapes (555-0142, 415-555-0187, (415) 555-0187), or national ones
	// with a trunk zero in three groups (020 7946 0958).
	phoneRE = regexp.MustCompile(
		`^(?:\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}|\(\d{3}\) ?\d{3}[ .-]\d{4}|` +
			`\d{3}[ .-]\d{3}[ .-]\d{4}|0\d{2,4} \d{3,4} \d{3,4}|\d{3}-\d{4})`)
	handleRE  = regexp.MustCompile(`@[A-Za-z][A-Za-z0-9._-]*[A-Za-z0-9]|@[A-Za-z]`)
	mentionRE = regexp.MustCompile(`<@[UW][A-Z0-9]+(?:\|[^>]*)?>`)
)

// identifiers finds e-mail addresses, phone numbers, handles and Slack
// mentions in text. covered receives every byte range that holds such a
// token, flagged or not, so that its parts are not read as words; it is
// sorted and its ranges do not overlap, so that lookups are binary searches
// (a text of many addresses must not take time in their square).
func (c *Checker) identifiers(text string) (found []span, covered [][2]int) {
	covered = mergeRanges(urls(text), nil)
	var add [][2]int
	for _, m := range emails(text) {
		if inRanges(covered, m[0]) {
			continue // "https://user@host/…" is part of an address
		}
		add = append(add, [2]int{m[0], m[1]})
		local := strings.ToLower(text[m[0] : strings.IndexByte(text[m[0]:], '@')+m[0]])
		if c.rules.roleMailboxes[local] || isURLPart(text, m[0]) {
			continue
		}
		found = append(found, span{start: m[0], end: m[1], rule: "pii.email"})
	}
	covered, add = mergeRanges(covered, add), add[:0]
	for _, m := range phones(text) {
		if inRanges(covered, m[0]) || !phoneBoundary(text, m[0], m[1]) ||
			digits(text[m[0]:m[1]]) < 7 {
			continue // a phone number has seven digits or more; "+0900" is an offset
		}
		add = append(add, [2]int{m[0], m[1]})
		found = append(found, span{start: m[0], end: m[1], rule: "pii.phone"})
	}
	covered, add = mergeRanges(covered, add), add[:0]
	var mentions, handles [][]int
	if strings.IndexByte(text, '@') >= 0 {
		mentions = mentionRE.FindAllStringIndex(text, -1)
		handles = handleRE.FindAllStringIndex(text, -1)
	}
	for _, m := range mentions {
		add = append(add, [2]int{m[0], m[1]})
		found = append(found, span{start: m[0], end: m[1], rule: "pii.handle"})
	}
	covered, add = mergeRanges(covered, add), add[:0]
	for _, m := range handles {
		if inRanges(covered, m[0]) || (m[0] > 0 && isWordByte(text[m[0]-1])) ||
			m[1] < len(text) && text[m[1]] == '/' {
			continue // part of an e-mail, a digest (nginx@sha256), a remote or a package
		}
		add = append(add, [2]int{m[0], m[1]})
		if c.personalHandle(text[m[0]+1 : m[1]]) {
			found = append(found, span{start: m[0], end: m[1], rule: "pii.handle"})
		}
	}
	covered = mergeRanges(covered, add)
	sort.Slice(found, func(i, j int) bool { return found[i].start < found[j].start })
	return found, covered
}

// mergeRanges returns the ranges of a and b sorted by start, overlapping
// ones joined.
func mergeRanges(a, b [][2]int) [][2]int {
	all := make([][2]int, 0, len(a)+len(b))
	all = append(append(all, a...), b...)
	sort.Slice(all, func(i, j int) bool { return all[i][0] < all[j][0] })
	out := all[:0]
	for _, r := range all {
		if n := len(out); n > 0 && r[0] < out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], r[1])
			continue
		}
		out = append(out, r)
	}
	return out
}

// personalHandle reports whether an @name reaches one person: not a
// broadcast (@here), a role alias (@oncall-db), a bot, or a code annotation
// (@Scheduled, which starts with a capital letter).
func (c *Checker) personalHandle(name string) bool {
	r, _ := utf8.DecodeRuneInString(name)
	if unicode.IsUpper(r) || c.rules.broadcast[strings.ToLower(name)] {
		return false
	}
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, "bot") {
		return false
	}
	for _, part := range strings.FieldsFunc(lower, func(r rune) bool {
		return r == '-' || r == '_' || r == '.'
	}) {
		if c.rules.roleHandleParts[part] {
			return false
		}
	}
	return true
}

func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			n++
		}
	}
	return n
}

func isWordByte(b byte) bool {
	return b == '_' || b == '-' || b == '.' || b == '/' || b == ':' ||
		('0' <= b && b <= '9') || ('a' <= b && b <= 'z') || ('A' <= b && b <= 'Z')
}

// isURLPart reports whether the match at i follows "://" or is a git remote.
func isURLPart(text string, i int) bool {
	j := strings.LastIndexAny(text[:i], " \t\n")
	return strings.Contains(text[j+1:i+1], "://")
}

// phoneBoundary rejects digit runs that continue a longer identifier, such
// as ticket numbers (INC-20231104-0071), versions, times or trace IDs.
func phoneBoundary(text string, s, e int) bool {
	tel := s >= 4 && strings.EqualFold(text[s-4:s], "tel:") // a tel: link
	if s > 0 && (isWordByte(text[s-1]) && !tel || text[s-1] == '#') {
		return false
	}
	if e < len(text) {
		b := text[e]
		if isWordByte(b) && b != '.' && b != ':' || b == '.' && e+1 < len(text) &&
			'0' <= text[e+1] && text[e+1] <= '9' {
			return false
		}
	}
	return true
}

// inRanges reports whether i is inside one of rs, which are sorted and do
// not overlap.
func inRanges(rs [][2]int, i int) bool {
	k := sort.Search(len(rs), func(k int) bool { return rs[k][1] > i })
	return k < len(rs) && rs[k][0] <= i
}

// emails matches the e-mail pattern around each "@" only, which keeps long
// texts fast.
func emails(text string) [][]int {
	var out [][]int
	for at := 0; ; {
		k := strings.IndexByte(text[at:], '@')
		if k < 0 {
			return out
		}
		k += at
		s := strings.LastIndexAny(text[:k], " \t\n<>()[]{},;:'\"") + 1
		e := strings.IndexAny(text[k:], " \t\n<>()[]{},;'\"")
		if e < 0 {
			e = len(text)
		} else {
			e += k
		}
		if m := emailRE.FindStringIndex(text[s:e]); m != nil {
			out = append(out, []int{s + m[0], s + m[1]})
		}
		at = e
		if at <= k {
			at = k + 1
		}
	}
}

// urls returns the byte ranges of web addresses ("https://host/Path"):
// their words are parts of an address, never names.
func urls(text string) [][2]int {
	var out [][2]int
	for at := 0; ; {
		k := strings.Index(text[at:], "://")
		if k < 0 {
			return out
		}
		k += at
		s := k
		for s > 0 && isSchemeByte(text[s-1]) {
			s--
		}
		e := k + 3
		for e < len(text) && !strings.ContainsRune(" \t\n<>\"'`)]", rune(text[e])) {
			e++
		}
		if s < k {
			out = append(out, [2]int{s, e})
		}
		at = e
	}
}

func isSchemeByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' ||
		b == '+' || b == '.' || b == '-'
}

// phones tries the anchored phone pattern where a number can begin.
func phones(text string) [][]int {
	var out [][]int
	for i := 0; i < len(text); i++ {
		b := text[i]
		isDigit := '0' <= b && b <= '9'
		if !isDigit && b != '+' && b != '(' ||
			i > 0 && isWordByte(text[i-1]) && !(i >= 4 && strings.EqualFold(text[i-4:i], "tel:")) {
			continue
		}
		end := min(len(text), i+32)
		if m := phoneRE.FindStringIndex(text[i:end]); m != nil {
			out = append(out, []int{i, i + m[1]})
			i += m[1] - 1
		}
	}
	return out
}
