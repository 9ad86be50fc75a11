package debrief

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxSlugLen keeps ids made from titles and file names short enough to
// type and to use as file names.
const MaxSlugLen = 60

// MaxIDLen is the most bytes an id people choose may have.
const MaxIDLen = 100

// ValidateID checks an id that a person chose for a report or an incident.
// Ids appear in addresses and file names, so they are letters, digits, '-',
// '_' and '.', starting with a letter or digit: never "..", a slash or a
// space that a link or an export would have to escape. The error names field.
func ValidateID(field, id string) error {
	if id == "" {
		return FieldErrorf(field, "%s is empty", field)
	}
	if len(id) > MaxIDLen {
		return FieldErrorf(field, "%s is %d characters long; the limit is %d",
			field, len(id), MaxIDLen)
	}
	if !isIDLetter(rune(id[0])) {
		return FieldErrorf(field, "%s %q: start with a letter or a digit", field, id)
	}
	for _, c := range id {
		if !isIDLetter(c) && c != '-' && c != '_' && c != '.' {
			return FieldErrorf(field, "%s %q: use only letters, digits, '-', '_' and '.'",
				field, id)
		}
	}
	return nil
}

// isIDLetter reports whether c is an ASCII letter or digit.
func isIDLetter(c rune) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// Slug lowercases s, folds accents away and joins runs of letters and digits
// with single dashes, at most MaxSlugLen bytes of them.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(unicode.ToLower(r))
			dash = false
		default:
			dash = true
		}
	}
	out := b.String()
	if len(out) > MaxSlugLen {
		// Cut between words, not inside one ("…-august-202").
		out = out[:MaxSlugLen]
		if i := strings.LastIndexByte(out, '-'); i > MaxSlugLen/2 {
			out = out[:i]
		}
	}
	return strings.Trim(out, "-")
}
